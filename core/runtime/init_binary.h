// --init: berth's own small init (tiny_init.h) is the berth-monitor executable, mounted
// read-only, nosuid and nodev at /dev/init in the container (on the container's own /dev
// tmpfs, so the image is untouched) and run as PID 1 with `--init -- CMD...`, as Docker
// does with docker-init. Read-only: no process in the container can write the host's binary
// through /proc/1/exe.
#pragma once

namespace berth::core::runtime {

inline constexpr const char* kInitPath = "/dev/init";

// A detached (attached nowhere), read-only, nosuid, nodev bind mount of the file at path:
// a process executed from it (execveat, or /proc/self/fd/N) can never have that file written
// through /proc/<pid>/exe (CVE-2019-5736). Returns the mount's fd (O_CLOEXEC) or -errno.
int readonly_detached_mount(const char* path);

// The path of the berth-monitor file on disk (argv[0] as the CLI spawns it): the monitor runs
// from a detached mount itself, and a detached mount cannot be cloned again.
void set_monitor_path(const char* path);

// The monitor's half, before the clone: a detached read-only bind mount of this executable
// (open_tree OPEN_TREE_CLONE + mount_setattr). Returns the mount's fd (O_CLOEXEC) or -errno.
int detached_init_binary();

// The init's half, after /dev is mounted: moves that detached mount onto /dev/init.
// Allocation-free; returns 0 or -errno.
int mount_init_binary(int tree_fd);

}  // namespace berth::core::runtime
