// What an attached `run`/`start -a` does on the CLI side while the monitor copies the streams:
//   * SignalProxy: signals the CLI receives (SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1/2) are
//     sent on to the container's init, like Docker's --sig-proxy;
//   * RawTerminal: with -t on a terminal, the CLI's terminal goes raw (keys, Ctrl-C included,
//     reach the container's pty untouched) and is restored on destruction.
#pragma once

#include <signal.h>
#include <sys/types.h>
#include <termios.h>

namespace berth::engine::lifecycle {

// Blocks the signals SignalProxy forwards until destroyed: an attached CLI holds one from
// before the container starts until its proxy is in place, so no signal is lost in between.
class BlockForwardedSignals {
 public:
  BlockForwardedSignals();
  ~BlockForwardedSignals();
  BlockForwardedSignals(const BlockForwardedSignals&) = delete;
  BlockForwardedSignals& operator=(const BlockForwardedSignals&) = delete;

 private:
  sigset_t saved_;
};

class SignalProxy {
 public:
  // Forwards to pid through a pidfd (opened now) until destroyed; SIGWINCH goes to the
  // monitor instead, which copies the new terminal size onto the container's pty.
  SignalProxy(pid_t pid, pid_t monitor);
  ~SignalProxy();
  SignalProxy(const SignalProxy&) = delete;
  SignalProxy& operator=(const SignalProxy&) = delete;
};

class RawTerminal {
 public:
  // Does nothing unless fd is a terminal.
  explicit RawTerminal(int fd);
  ~RawTerminal();
  RawTerminal(const RawTerminal&) = delete;
  RawTerminal& operator=(const RawTerminal&) = delete;

 private:
  int fd_;
  bool active_ = false;
  termios saved_{};
};

}  // namespace berth::engine::lifecycle
