#include "common/spawn.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <memory>

#include "common/child_process.h"
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

// What the intermediate process is given, and what it leaves in the caller's memory.
struct Detach {
  const char* path;
  const posix_spawn_file_actions_t* fa;
  const posix_spawnattr_t* attr;
  char* const* argv;
  char* const* envp;
  pid_t pid = -1;
  int rc = 0;
};

// The intermediate: spawn the helper (posix_spawn returns once it has exec'd) and exit, so the
// helper is orphaned at once.
int spawn_and_exit(void* arg) {
  auto* d = static_cast<Detach*>(arg);
  d->rc = ::posix_spawn(&d->pid, d->path, d->fa, d->attr, d->argv, d->envp);
  ::_exit(0);
}

// Runs spawn_and_exit in a process that shares our memory; we are suspended until it exits
// (CLONE_VFORK), then reap it. Signals stay blocked around it: no handler of ours runs on the
// intermediate's stack.
void spawn_orphan(Detach& d, const std::string& what) {
  constexpr size_t kStack = 64 * 1024;
  std::unique_ptr<char[]> stack(new char[kStack]);
  sigset_t all, old;
  sigfillset(&all);
  ::pthread_sigmask(SIG_BLOCK, &all, &old);
  pid_t mid = ::clone(spawn_and_exit, stack.get() + kStack, CLONE_VM | CLONE_VFORK | SIGCHLD, &d);
  int err = errno;
  ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
  if (mid < 0) throw_errno("clone", what, err);
  wait_for(mid);
  if (d.rc != 0) throw_errno("spawn", what, d.rc);
}

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
  Detach d{path.c_str(), &a.fa, &a.attr, args.data(), envp};
  spawn_orphan(d, what);
  return d.pid;
}

}  // namespace berth
