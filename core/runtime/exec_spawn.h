// The start of the exec helper (exec_helper.h): `berth exec` (engine/lifecycle/container_exec)
// and the monitor's healthchecks (monitor/health_monitor.h) both run it this way.
#pragma once

#include <sys/types.h>

namespace berth::core::runtime {

// posix_spawn (vfork + exec: the caller is never copied) of `berth-monitor --exec` from fds[5],
// a read-only detached mount of it, named through /proc/self/fd; fds[0..2] become its stdio,
// fds[3] the sync socket (kExecSyncFd), fds[4] the init's pidfd (kExecPidFd), fds[5] its own
// fd (kExecSelfFd, which it closes). Every other fd, and the caller's signal mask and
// handlers, stop here. Returns the helper's pid, or -errno. The fds stay the caller's.
pid_t spawn_exec_helper(const int (&fds)[6]);

}  // namespace berth::core::runtime
