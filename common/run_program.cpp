#include "common/run_program.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

#include "common/child_process.h"
#include "common/error.h"
#include "sys/unique_fd.h"

extern char** environ;

namespace berth {

namespace {

// A pipe whose two ends are O_CLOEXEC: the child gets its end through a dup2 file action.
void make_pipe(sys::UniqueFd& read_end, sys::UniqueFd& write_end, const std::string& what) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) < 0) throw_errno("pipe2", what, errno);
  read_end.reset(fds[0]);
  write_end.reset(fds[1]);
}

// While the input is written, SIGPIPE is blocked in this thread (a program that exits without
// reading its input is an EPIPE, not the end of berth), and one it raised is taken before it
// is unblocked. The thread's mask, not the process's disposition: other threads are left
// alone.
class SigpipeBlocked {
 public:
  SigpipeBlocked() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    ::pthread_sigmask(SIG_BLOCK, &pipe_, &saved_);
  }
  ~SigpipeBlocked() {
    if (sigismember(&saved_, SIGPIPE)) return;
    const timespec now{};
    while (::sigtimedwait(&pipe_, nullptr, &now) == SIGPIPE) {
    }
    ::pthread_sigmask(SIG_SETMASK, &saved_, nullptr);
  }
  SigpipeBlocked(const SigpipeBlocked&) = delete;
  SigpipeBlocked& operator=(const SigpipeBlocked&) = delete;

 private:
  sigset_t pipe_{}, saved_{};
};

pid_t spawn_with_pipes(const std::filesystem::path& program, const std::vector<std::string>& argv,
                       int in, int out, int err) {
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, in, 0);
  posix_spawn_file_actions_adddup2(&fa, out, 1);
  posix_spawn_file_actions_adddup2(&fa, err, 2);
  // The program starts with every signal's default and none blocked, whatever berth has.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t all, none;
  sigfillset(&all);
  sigemptyset(&none);
  posix_spawnattr_setsigdefault(&attr, &all);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  const int rc = ::posix_spawn(&pid, program.c_str(), &fa, &attr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) throw_errno("run", program.string(), rc);
  return pid;
}

// Writes input to `in` (closing it when done or when the reader left) while reading out and
// err to their ends.
void exchange_with_program(sys::UniqueFd& in, sys::UniqueFd& out, sys::UniqueFd& err,
                           std::string_view input, ProgramOutput& result) {
  if (input.empty()) in.reset();
  if (in) ::fcntl(in.get(), F_SETFL, ::fcntl(in.get(), F_GETFL) | O_NONBLOCK);
  while (in || out || err) {
    pollfd fds[3] = {{in.get(), POLLOUT, 0}, {out.get(), POLLIN, 0}, {err.get(), POLLIN, 0}};
    if (::poll(fds, 3, -1) < 0) {
      if (errno == EINTR) continue;
      throw_errno("poll", "program output", errno);
    }
    if (in && fds[0].revents) {
      const ssize_t n = ::write(in.get(), input.data(), input.size());
      if (n > 0) input.remove_prefix(static_cast<size_t>(n));
      if (input.empty() || (n < 0 && errno != EAGAIN && errno != EINTR)) in.reset();
    }
    sys::UniqueFd* ends[2] = {&out, &err};
    std::string* sinks[2] = {&result.out, &result.err};
    for (int i = 0; i < 2; ++i) {
      if (!*ends[i] || !fds[i + 1].revents) continue;
      char buf[8192];
      const ssize_t n = ::read(ends[i]->get(), buf, sizeof buf);
      if (n > 0)
        sinks[i]->append(buf, static_cast<size_t>(n));
      else if (n == 0 || errno != EINTR)
        ends[i]->reset();
    }
  }
}

}  // namespace

bool ProgramOutput::exited_zero() const {
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

std::optional<std::filesystem::path> find_on_path(const std::string& name) {
  if (name.empty() || name.find('/') != std::string::npos) return std::nullopt;
  const char* env = std::getenv("PATH");
  const std::string path = env ? env : "/usr/local/bin:/usr/bin:/bin";
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find(':', start);
    if (end == std::string::npos) end = path.size();
    // An empty entry is the current directory, as for execvp.
    const std::string dir = end > start ? path.substr(start, end - start) : ".";
    const std::filesystem::path candidate = std::filesystem::path(dir) / name;
    struct stat st {};
    if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
        ::access(candidate.c_str(), X_OK) == 0)
      return candidate;
    start = end + 1;
  }
  return std::nullopt;
}

ProgramOutput run_program(const std::filesystem::path& program,
                          const std::vector<std::string>& argv, std::string_view input) {
  const std::string what = program.filename().string();
  sys::UniqueFd in_r, in_w, out_r, out_w, err_r, err_w;
  make_pipe(in_r, in_w, what);
  make_pipe(out_r, out_w, what);
  make_pipe(err_r, err_w, what);
  SigpipeBlocked sigpipe;
  const pid_t pid = spawn_with_pipes(program, argv, in_r.get(), out_w.get(), err_w.get());
  in_r.reset();
  out_w.reset();
  err_w.reset();
  ProgramOutput result;
  try {
    exchange_with_program(in_w, out_r, err_r, input, result);
  } catch (...) {
    ::kill(pid, SIGKILL);
    wait_for(pid);
    throw;
  }
  result.status = wait_for(pid);
  return result;
}

}  // namespace berth
