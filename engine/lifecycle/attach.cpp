#include "engine/lifecycle/attach.h"

#include <signal.h>
#include <unistd.h>

#include <initializer_list>

#include "sys/syscalls.h"

namespace berth::engine::lifecycle {

namespace {

constexpr int kForwarded[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2};
volatile sig_atomic_t g_pidfd = -1;
volatile sig_atomic_t g_monitor_pidfd = -1;

void forward(int sig) {
  int fd = sig == SIGWINCH ? g_monitor_pidfd : g_pidfd;
  if (fd >= 0) sys::pidfd_send_signal(fd, sig);
}

}  // namespace

BlockForwardedSignals::BlockForwardedSignals() {
  sigset_t set;
  sigemptyset(&set);
  for (int sig : kForwarded) sigaddset(&set, sig);
  sigaddset(&set, SIGWINCH);
  ::sigprocmask(SIG_BLOCK, &set, &saved_);
}

BlockForwardedSignals::~BlockForwardedSignals() {
  ::sigprocmask(SIG_SETMASK, &saved_, nullptr);
}

SignalProxy::SignalProxy(pid_t pid, pid_t monitor) {
  g_pidfd = sys::pidfd_open(pid, 0);
  g_monitor_pidfd = monitor > 0 ? sys::pidfd_open(monitor, 0) : -1;
  struct sigaction sa {};
  sa.sa_handler = forward;
  sa.sa_flags = SA_RESTART;
  sigemptyset(&sa.sa_mask);
  for (int sig : kForwarded) ::sigaction(sig, &sa, nullptr);
  ::sigaction(SIGWINCH, &sa, nullptr);
}

SignalProxy::~SignalProxy() {
  for (int sig : kForwarded) ::signal(sig, SIG_DFL);
  ::signal(SIGWINCH, SIG_DFL);
  for (volatile sig_atomic_t* slot : {&g_pidfd, &g_monitor_pidfd}) {
    int fd = *slot;
    *slot = -1;
    if (fd >= 0) ::close(fd);
  }
}

RawTerminal::RawTerminal(int fd) : fd_(fd) {
  if (!::isatty(fd) || ::tcgetattr(fd, &saved_) < 0) return;
  termios raw = saved_;
  ::cfmakeraw(&raw);
  active_ = ::tcsetattr(fd, TCSANOW, &raw) == 0;
}

RawTerminal::~RawTerminal() {
  if (active_) ::tcsetattr(fd_, TCSANOW, &saved_);
}

}  // namespace berth::engine::lifecycle
