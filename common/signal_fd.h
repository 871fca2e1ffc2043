// SignalFd: signals taken as data instead of by a handler (signalfd(2)). While it lives, the
// signals are blocked in the thread that made it and in every thread started after, so none of
// them runs a default action; the owner reads them from fd() in its own loop. Used by an attached
// `compose up` (SIGINT, SIGTERM: stop the stack, kill it on the second).
#pragma once

#include <signal.h>

#include <initializer_list>

#include "sys/unique_fd.h"

namespace berth {

class SignalFd {
 public:
  // Blocks the signals and opens the fd (O_CLOEXEC, O_NONBLOCK). Throws Error.
  explicit SignalFd(std::initializer_list<int> signals);
  // Discards the signals still pending, then restores the mask it found.
  ~SignalFd();
  SignalFd(const SignalFd&) = delete;
  SignalFd& operator=(const SignalFd&) = delete;

  int fd() const { return fd_.get(); }
  // The next pending signal's number, or 0 when none is pending.
  int next();

 private:
  sigset_t set_{};
  sigset_t saved_{};
  sys::UniqueFd fd_;
};

}  // namespace berth
