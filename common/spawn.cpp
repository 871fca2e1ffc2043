#include "common/spawn.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "common/error.h"
#include "sys/unique_fd.h"

namespace berth {

namespace {

// posix_spawn's two attribute objects, destroyed on every path.
struct SpawnAttrs {
  posix_spawn_file_actions_t fa;
  posix_spawnattr_t attr;
  SpawnAttrs() {
    posix_spawn_file_actions_init(&fa);
    posix_spawnattr_init(&attr);
  }
  ~SpawnAttrs() {
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
  }
};

}  // namespace

pid_t spawn_session(const std::string& path, const std::vector<std::string>& argv,
                    const std::vector<SpawnFd>& fds, const std::string& what) {
  int top = 2;
  for (const auto& f : fds) top = std::max(top, f.target);
  // Every source is parked above the targets first: no dup2 then clobbers another source, and
  // none is a no-op that would leave a target close-on-exec.
  sys::UniqueFd null;
  std::vector<sys::UniqueFd> parked;
  for (const auto& f : fds) {
    int src = f.source;
    if (src < 0) {
      if (!null && !(null = sys::UniqueFd(::open("/dev/null", O_RDWR | O_CLOEXEC))))
        throw_errno("open", "/dev/null", errno);
      src = null.get();
    }
    parked.emplace_back(::fcntl(src, F_DUPFD_CLOEXEC, top + 1));
    if (!parked.back()) throw_errno("dup", what + " fd", errno);
  }
  SpawnAttrs a;
  posix_spawnattr_setflags(&a.attr,
                           POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&a.attr, &none);
  posix_spawnattr_setsigdefault(&a.attr, &all);
  for (size_t i = 0; i < fds.size(); ++i)
    posix_spawn_file_actions_adddup2(&a.fa, parked[i].get(), fds[i].target);
  // Whatever our own caller leaked to us (fds without O_CLOEXEC) stops here.
  posix_spawn_file_actions_addclosefrom_np(&a.fa, top + 1);
  std::vector<char*> args;
  for (const auto& s : argv) args.push_back(const_cast<char*>(s.c_str()));
  args.push_back(nullptr);
  char* const envp[] = {nullptr};
  pid_t pid = -1;
  int rc = ::posix_spawn(&pid, path.c_str(), &a.fa, &a.attr, args.data(), envp);
  if (rc != 0) throw_errno("spawn", what, rc);
  return pid;
}

int wait_child(pid_t pid) {
  int st = 0;
  while (::waitpid(pid, &st, 0) < 0 && errno == EINTR) {
  }
  return st;
}

}  // namespace berth
