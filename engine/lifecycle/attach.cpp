#include "engine/lifecycle/attach.h"

#include <signal.h>
#include <unistd.h>

#include "sys/syscalls.h"

namespace berth::engine::lifecycle {

namespace {

constexpr int kForwarded[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2};
volatile sig_atomic_t g_pidfd = -1;

void forward(int sig) {
  if (g_pidfd >= 0) sys::pidfd_send_signal(g_pidfd, sig);
}

}  // namespace

SignalProxy::SignalProxy(pid_t pid) {
  g_pidfd = sys::pidfd_open(pid, 0);
  struct sigaction sa {};
  sa.sa_handler = forward;
  sigemptyset(&sa.sa_mask);
  for (int sig : kForwarded) ::sigaction(sig, &sa, nullptr);
}

SignalProxy::~SignalProxy() {
  for (int sig : kForwarded) ::signal(sig, SIG_DFL);
  int fd = g_pidfd;
  g_pidfd = -1;
  if (fd >= 0) ::close(fd);
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
