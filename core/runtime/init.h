// The container's init: the code that runs in the child of clone3 (new pid, mount, uts, ipc
// and net namespaces) until execve. It follows crun's contract: no exceptions, no allocation,
// no locks, no logging — every string is precomputed by the monitor in InitPlan, and an error
// travels back as an InitMessage on the sync socket before the child _exits with Docker's code
// (125 engine error, 126 not executable, 127 not found).
//
// Sequence: wait for the monitor's go byte (sent once the child is in its cgroups) →
// make / private → mount the overlay rootfs inside the container's own mount namespace (so
// the kernel removes it when the container dies, even if the monitor is SIGKILLed) →
// pivot_root → /proc, /dev (tmpfs, device nodes, devpts, shm, mqueue), /sys read-only and
// /sys/fs/cgroup (the container's own cgroups, cloned before pivot_root: cgroup_mount.h) →
// bind /etc/{hostname,hosts,resolv.conf} → hostname, loopback up → pty or stdio →
// working dir → groups/gid/uid → PR_SET_PDEATHSIG(SIGKILL) → close every fd above 2 →
// execve resolved through PATH inside the new root.
// Issue 3: /proc, /sys, /dev must not be symlinks in the image; after the mounts: sysctls,
// masked and read-only paths (rootfs_hardening.h); --read-only remounts / after the working
// dir exists; capabilities, rlimits, no_new_privs and seccomp (security.h) between the user
// switch and execve.
#pragma once

#include <sched.h>
#include <sys/types.h>

#include <cstddef>
#include <cstdint>

#include "core/runtime/cgroup_mount.h"
#include "core/runtime/init_mounts.h"

namespace berth::core::runtime {

struct ProcessSecurity;
struct RootfsHardening;

// Sent by the init on the sync socket (SOCK_SEQPACKET). End of file without an error message
// means execve succeeded (the socket is close-on-exec).
struct InitMessage {
  enum Kind : int32_t { kError = 1, kPtyMaster = 2 };
  int32_t kind = kError;
  int32_t exit_code = 125;
  char text[504] = {};
};

// Where etc_files are bind-mounted, relative to the rootfs. A target the image lacks is made
// as an empty file in the container's upper directory: layers written from that directory
// (engine/lifecycle/container_commit.h) leave such placeholders out.
inline constexpr const char* kEtcMountTargets[3] = {"etc/hostname", "etc/hosts", "etc/resolv.conf"};

struct InitPlan {
  int sync_fd = -1;  // the child's end of the sync socketpair
  // Non-tty: fds that become 0, 1, 2. With tty the init allocates a pty in the container's
  // devpts and sends the master back (kPtyMaster).
  int stdio[3] = {-1, -1, -1};
  bool tty = false;
  unsigned short tty_rows = 0, tty_cols = 0;  // the attached terminal's size (0: unknown)
  const char* rootfs = nullptr;               // host path of the overlay mount point
  const char* overlay_options = nullptr;      // "lowerdir=...,upperdir=...,workdir=..."
  const char* hostname = nullptr;
  // Host paths of the generated files bind-mounted over /etc/hostname, /etc/hosts,
  // /etc/resolv.conf (nullptr: not mounted).
  const char* etc_files[3] = {nullptr, nullptr, nullptr};
  char* const* argv = nullptr;
  char* const* envp = nullptr;
  const char* path_env = nullptr;  // the container's PATH, for resolving argv[0]
  const char* cwd = "/";
  uid_t uid = 0;
  gid_t gid = 0;
  const gid_t* groups = nullptr;
  size_t ngroups = 0;
  int netns_fd = -1;  // a network namespace to join (setns) instead of the fresh one
  // Volumes, binds, tmpfs: mounted after the /etc files, before pivot_root (init_mounts.h).
  const InitMount* mounts = nullptr;
  size_t nmounts = 0;
  // Issue 3 (security.h, rootfs_hardening.h), built by the monitor; nullptr: none.
  const ProcessSecurity* security = nullptr;
  const RootfsHardening* hardening = nullptr;
  // /sys/fs/cgroup (cgroup_mount.h); nullptr: left empty.
  const InitCgroupMounts* cgroups = nullptr;
  int init_fd = -1;  // --init: detached read-only mount of berth-monitor, for /dev/init
  // The CPUs the init may run on once started (it is cloned pinned to the monitor's CPU);
  // nullptr: leave its affinity alone.
  const cpu_set_t* cpus = nullptr;
};

// Runs in the cloned child; never returns.
[[noreturn]] void run_init(const InitPlan& plan);

}  // namespace berth::core::runtime
