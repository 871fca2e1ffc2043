#include "core/runtime/exec_spawn.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>

#include <cerrno>

#include "sys/unique_fd.h"

namespace berth::core::runtime {

pid_t spawn_exec_helper(const int (&fds)[6]) {
  // Parked above 9 first: a dup2 onto 0-5 must not close one of the others' sources.
  sys::UniqueFd parked[6];
  for (int i = 0; i < 6; ++i)
    if (!(parked[i] = sys::UniqueFd(::fcntl(fds[i], F_DUPFD_CLOEXEC, 10)))) return -errno;
  posix_spawn_file_actions_t fa;
  posix_spawnattr_t attr;
  posix_spawn_file_actions_init(&fa);
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &all);
  for (int i = 0; i < 6; ++i) posix_spawn_file_actions_adddup2(&fa, parked[i].get(), i);
  posix_spawn_file_actions_addclosefrom_np(&fa, 6);
  char arg0[] = "berth-monitor", arg1[] = "--exec";
  char* const argv[] = {arg0, arg1, nullptr};
  char* const envp[] = {nullptr};
  pid_t pid = -1;
  const int rc = ::posix_spawn(&pid, "/proc/self/fd/5", &fa, &attr, argv, envp);
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  return rc != 0 ? -rc : pid;
}

}  // namespace berth::core::runtime
