#include "core/runtime/tiny_init.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "core/runtime/path_exec.h"

extern char** environ;

namespace berth::core::runtime {

namespace {

[[noreturn]] void exec_child(char** cmd, const sigset_t& saved) {
  ::sigprocmask(SIG_SETMASK, &saved, nullptr);
  char msg[512];
  const char* path = std::getenv("PATH");
  int code = exec_in_path(cmd, environ,
                          path ? path
                               : "/usr/local/sbin:/usr/local/bin:/usr/sbin:"
                                 "/usr/bin:/sbin:/bin",
                          msg, sizeof msg);
  std::size_t len = std::strlen(msg);
  msg[len] = '\n';
  ssize_t n = ::write(2, msg, len + 1);
  (void)n;
  ::_exit(code);
}

// Reaps every exited process; returns the child's exit status once it is among them.
bool reap(pid_t child, int& status) {
  for (;;) {
    int st = 0;
    pid_t pid = ::waitpid(-1, &st, WNOHANG);
    if (pid <= 0) return false;
    if (pid != child) continue;
    status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    return true;
  }
}

}  // namespace

int run_tiny_init(int argc, char** argv) {
  int first = 1;
  while (first < argc && std::strcmp(argv[first], "--") != 0) ++first;
  if (first + 1 >= argc) {
    const char msg[] = "berth init: usage: --init -- COMMAND [ARG...]\n";
    ssize_t n = ::write(2, msg, sizeof msg - 1);
    (void)n;
    return 125;
  }
  sigset_t all, saved;
  sigfillset(&all);
  ::sigprocmask(SIG_BLOCK, &all, &saved);
  pid_t child = ::fork();
  if (child < 0) return 125;
  if (child == 0) exec_child(argv + first + 1, saved);
  for (;;) {
    siginfo_t info{};
    int sig = ::sigwaitinfo(&all, &info);
    if (sig < 0) continue;
    if (sig == SIGCHLD) {
      int status = 0;
      if (reap(child, status)) return status;
      continue;
    }
    ::kill(child, sig);
  }
}

}  // namespace berth::core::runtime
