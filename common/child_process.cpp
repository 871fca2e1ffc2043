#include "common/child_process.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <exception>

#include "common/error.h"
#include "sys/unique_fd.h"
#include "sys/write_all.h"

namespace berth {

int wait_for(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  return status;
}

std::string drain_pipe(int fd) {
  std::string out;
  char buf[8192];
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

void run_in_child(const std::function<void()>& fn, const std::string& what,
                  const std::string& failed) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) < 0) throw_errno("pipe2", what, errno);
  sys::UniqueFd rd(fds[0]), wr(fds[1]);
  const pid_t pid = ::fork();
  if (pid < 0) throw_errno("fork", what, errno);
  if (pid == 0) {
    rd.reset();
    try {
      fn();
    } catch (const std::exception& e) {
      sys::write_all(wr.get(), e.what(), std::strlen(e.what()));
      ::_exit(1);
    }
    ::_exit(0);
  }
  wr.reset();
  // Read to the end first: a message larger than the pipe holds would block the child.
  const std::string message = drain_pipe(rd.get());
  const int status = wait_for(pid);
  if (!message.empty()) throw Error(message);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw Error(failed);
}

}  // namespace berth
