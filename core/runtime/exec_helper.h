// The exec helper: `berth-monitor --exec`, the program `berth exec` runs to start a process in
// a running container. The CLI executes it from a private read-only detached mount (so no
// process in the container can ever write the berth binaries through /proc/<pid>/exe,
// CVE-2019-5736), with fd 3 the sync socket and fd 4 a pidfd of the container's init, and puts
// it in the container's cgroups before sending the plan. The helper:
//   non-dumpable → reads the ExecPlan → setns(pidfd, mnt|uts|ipc|net|pid) in one call →
//   clone3(CLONE_PARENT): the child is the CLI's, in the container's pid namespace → sends
//   its host pid (kPid) → exits.
// The child: (-d: forks again so the container's init adopts it) → pty or stdio → groups,
// gid, uid → closes every fd but 0, 1, 2 and the sync socket → chdir to the working
// directory and checks it is inside the container (CVE-2024-21626) → the container's
// capabilities, rlimits, no-new-privileges and seccomp (security.h) → execve through PATH. It stays
// non-dumpable until execve; errors go back as ExecMessage{kError}.
#pragma once

namespace berth::core::runtime {

// The helper's main; returns its exit status (0: the child was started, its result follows
// on the sync socket).
int run_exec_helper();

}  // namespace berth::core::runtime
