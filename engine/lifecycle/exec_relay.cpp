#include "engine/lifecycle/exec_relay.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <string>

#include "common/error.h"
#include "sys/syscalls.h"
#include "sys/write_all.h"

namespace berth::engine::lifecycle {

namespace {

// How long output may go on after the process exited (Docker waits as long for an exec's
// streams before it closes them).
constexpr int64_t kGraceMs = 2000;

int64_t now_ms() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

// The relayed fds are non-blocking: a write that finds one full waits for room.
constexpr sys::WhenFull kWait = sys::WhenFull::kWait;

// While relaying, a pipe whose reader went away (the process closed its stdin, our caller
// stopped reading us) is an EPIPE to handle, not the end of berth.
class IgnoreSigpipe {
 public:
  IgnoreSigpipe() {
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    sigemptyset(&ignore.sa_mask);
    ::sigaction(SIGPIPE, &ignore, &saved_);
  }
  ~IgnoreSigpipe() { ::sigaction(SIGPIPE, &saved_, nullptr); }
  IgnoreSigpipe(const IgnoreSigpipe&) = delete;
  IgnoreSigpipe& operator=(const IgnoreSigpipe&) = delete;

 private:
  struct sigaction saved_ {};
};

// Our stdin, read while the process runs and buffered until its pipe takes it.
struct StdinCopy {
  sys::UniqueFd& pipe;
  bool reading;
  std::string pending;

  void read_ours(char* buf, size_t size) {
    ssize_t n = ::read(0, buf, size);
    if (n > 0) {
      pending.append(buf, static_cast<size_t>(n));
    } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
      reading = false;  // EOF (or a stdin we cannot read): so does the process's
      if (pending.empty()) pipe.reset();
    }
  }
  void write_pipe() {
    ssize_t n = ::write(pipe.get(), pending.data(), pending.size());
    if (n > 0) pending.erase(0, static_cast<size_t>(n));
    if (n < 0 && errno != EAGAIN && errno != EINTR) stop();  // it closed its stdin
    if (pending.empty() && !reading) pipe.reset();
  }
  void stop() {
    reading = false;
    pending.clear();
    pipe.reset();
  }
};

}  // namespace

ExecPipes make_exec_pipes(bool interactive) {
  ExecPipes p;
  for (int i = interactive ? 0 : 1; i < 3; ++i) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) < 0) throw Error(errno_message("pipe2", "exec stdio", errno), 125);
    p.child[i].reset(fds[i == 0 ? 0 : 1]);
    p.ours[i].reset(fds[i == 0 ? 1 : 0]);
  }
  // Our stdin is copied in only as far as the process reads: never block on its pipe.
  if (interactive) ::fcntl(p.ours[0].get(), F_SETFL, O_NONBLOCK);
  return p;
}

void relay_pipes(pid_t pid, ExecPipes& pipes) {
  IgnoreSigpipe ignore_sigpipe;
  sys::UniqueFd pidfd(sys::pidfd_open(pid, 0));
  sys::UniqueFd(&ours)[3] = pipes.ours;
  StdinCopy in{ours[0], static_cast<bool>(ours[0]), {}};
  int64_t deadline = -1;  // kGraceMs after the exit
  static char buf[16384];
  for (;;) {
    const bool exited = deadline >= 0 || !pidfd;
    if (exited && !ours[1] && !ours[2]) break;
    pollfd fds[5] = {{ours[1].get(), POLLIN, 0},
                     {ours[2].get(), POLLIN, 0},
                     {in.reading && in.pending.empty() ? 0 : -1, POLLIN, 0},
                     {in.pending.empty() ? -1 : ours[0].get(), POLLOUT, 0},
                     {deadline >= 0 ? -1 : pidfd.get(), POLLIN, 0}};
    const int timeout =
        deadline < 0 ? -1 : static_cast<int>(std::max<int64_t>(0, deadline - now_ms()));
    int ready = ::poll(fds, 5, timeout);
    if (ready < 0 && errno == EINTR) continue;  // a signal forwarded to the process
    if (ready <= 0) break;                      // the grace is over
    for (int i = 1; i < 3; ++i) {
      if (!fds[i - 1].revents) continue;
      ssize_t n = ::read(ours[i].get(), buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      // EOF; or our own stream is gone: the process's next write fails instead.
      if (n <= 0 || sys::write_all(i, buf, static_cast<size_t>(n), kWait) != 0) ours[i].reset();
    }
    if (fds[2].revents) in.read_ours(buf, sizeof buf);
    if (fds[3].revents) in.write_pipe();
    if (fds[4].revents) {
      deadline = now_ms() + kGraceMs;
      in.stop();  // nobody reads it any more
    }
  }
  for (auto& fd : ours) fd.reset();
}

namespace {

volatile sig_atomic_t g_winch = 0;
void on_winch(int) {
  g_winch = 1;
}

}  // namespace

void relay_pty(pid_t pid, int master, bool interactive) {
  struct sigaction sa {};
  sa.sa_handler = on_winch;  // no SA_RESTART: poll returns EINTR
  sigemptyset(&sa.sa_mask);
  ::sigaction(SIGWINCH, &sa, nullptr);
  sys::UniqueFd pidfd(sys::pidfd_open(pid, 0));
  bool reading_stdin = interactive, exited = false;
  static char buf[16384];
  for (;;) {
    pollfd fds[3] = {{master, POLLIN, 0},
                     {reading_stdin ? 0 : -1, POLLIN, 0},
                     {exited ? -1 : pidfd.get(), POLLIN, 0}};
    int ready = ::poll(fds, 3, exited ? 200 : -1);
    if (ready < 0 && errno == EINTR) {
      winsize ws{};
      if (g_winch && ::ioctl(0, TIOCGWINSZ, &ws) == 0) ::ioctl(master, TIOCSWINSZ, &ws);
      g_winch = 0;
      continue;
    }
    if (ready <= 0) break;
    if (fds[0].revents) {
      ssize_t n = ::read(master, buf, sizeof buf);
      if (n <= 0 && !(n < 0 && errno == EINTR)) break;  // EIO: no slave left open
      if (n > 0) sys::write_all(1, buf, static_cast<size_t>(n), kWait);
    }
    if (fds[1].fd >= 0 && fds[1].revents) {
      ssize_t n = ::read(0, buf, sizeof buf);
      if (n > 0) sys::write_all(master, buf, static_cast<size_t>(n), kWait);
      if (n == 0 || (n < 0 && errno != EINTR)) reading_stdin = false;
    }
    if (fds[2].fd >= 0 && fds[2].revents) exited = true;
  }
  ::signal(SIGWINCH, SIG_DFL);
}

}  // namespace berth::engine::lifecycle
