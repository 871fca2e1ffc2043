#include "common/signal_fd.h"

#include <pthread.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>

#include "common/error.h"

namespace berth {

SignalFd::SignalFd(std::initializer_list<int> signals) {
  sigemptyset(&set_);
  for (int sig : signals) sigaddset(&set_, sig);
  if (int err = ::pthread_sigmask(SIG_BLOCK, &set_, &saved_))
    throw_errno("pthread_sigmask", "", err);
  fd_.reset(::signalfd(-1, &set_, SFD_CLOEXEC | SFD_NONBLOCK));
  if (!fd_) {
    const int err = errno;
    ::pthread_sigmask(SIG_SETMASK, &saved_, nullptr);
    throw_errno("signalfd", "", err);
  }
}

SignalFd::~SignalFd() {
  while (next() != 0) {
  }
  ::pthread_sigmask(SIG_SETMASK, &saved_, nullptr);
}

int SignalFd::next() {
  signalfd_siginfo info{};
  for (;;) {
    ssize_t n = ::read(fd_.get(), &info, sizeof info);
    if (n == static_cast<ssize_t>(sizeof info)) return static_cast<int>(info.ssi_signo);
    if (n < 0 && errno == EINTR) continue;
    return 0;
  }
}

}  // namespace berth
