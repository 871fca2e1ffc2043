// --init: berth's own small init (tiny_init.h) is the berth-monitor executable, bind-mounted
// read-only, nosuid and nodev at /dev/init in the container (on the container's own /dev
// tmpfs, so the image is untouched) and run as PID 1 with `--init -- CMD...`, as Docker
// does with docker-init. Read-only: no process in the container can write the host's binary
// through /proc/1/exe.
#pragma once

namespace berth::engine::runtime {

inline constexpr const char* kInitPath = "/dev/init";

// Runs in the container's init after /dev is mounted: binds the file behind fd (O_PATH) at
// /dev/init and makes that mount read-only. Allocation-free; returns 0 or -errno.
int mount_init_binary(int fd);

}  // namespace berth::engine::runtime
