#include "engine/lifecycle/spawn.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <sstream>

#include "common/error.h"
#include "common/spawn.h"
#include "engine/monitor/protocol.h"
#include "engine/runtime/init_binary.h"
#include "sys/syscalls.h"

namespace berth::engine::lifecycle {

namespace fs = std::filesystem;

namespace {

// Starts berth-monitor in a new session, nobody's child (common/spawn.h: no process is
// copied), with exactly the protocol's fds, so it outlives us.
void exec_monitor(const std::string& bin, int spec, int status, const int attach[3], int netns) {
  sys::UniqueFd tree(runtime::readonly_detached_mount(bin.c_str()));
  if (!tree) throw_errno("mount read-only", bin, -tree.get());
  std::vector<SpawnFd> fds = {{spec, monitor::kSpecFd},
                              {-1, 1},
                              {-1, 2},
                              {status, monitor::kStatusFd},
                              {tree.get(), monitor::kSelfFd}};
  for (int i = 0; i < 3; ++i)
    if (attach[i] >= 0) fds.push_back({attach[i], monitor::kAttachFd[i]});
  if (netns >= 0) fds.push_back({netns, monitor::kNetnsFd});
  // argv[0]: the file's path, which the monitor needs to mount itself at /dev/init (--init).
  static_assert(monitor::kSelfFd == 7, "the path below names kSelfFd");
  spawn_session("/proc/self/fd/7", {bin}, fds, bin);
}

// To the spec socket: MSG_NOSIGNAL, so a monitor that died early is an error, not SIGPIPE.
void write_all(int fd, const std::string& data) {
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::send(fd, data.data() + off, data.size() - off, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_errno("write spec", "berth-monitor", errno);
    off += static_cast<size_t>(n);
  }
}

}  // namespace

fs::path MonitorProcess::binary() {
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) throw Error("read /proc/self/exe: " + ec.message(), 125);
  return self.parent_path() / monitor::kMonitorBinary;
}

MonitorProcess MonitorProcess::spawn(const runtime::RuntimeSpec& spec, const int attach[3],
                                     int netns_fd) {
  const std::string bin = binary().string();
  if (::access(bin.c_str(), X_OK) < 0) throw_errno("find monitor", bin, errno);
  int spec_pipe[2], status_pipe[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, spec_pipe) < 0 ||
      ::pipe2(status_pipe, O_CLOEXEC) < 0)
    throw_errno("pipe2", "monitor", errno);
  sys::UniqueFd spec_r(spec_pipe[0]), spec_w(spec_pipe[1]);
  sys::UniqueFd status_r(status_pipe[0]), status_w(status_pipe[1]);
  const std::string spec_text = runtime::to_json(spec).dump();
  exec_monitor(bin, spec_r.get(), status_w.get(), attach, netns_fd);
  spec_r.reset();
  status_w.reset();
  write_all(spec_w.get(), spec_text);
  spec_w.reset();

  MonitorProcess m(std::move(status_r), 0);
  std::string line = m.read_line();
  if (line.starts_with("started ")) {
    std::istringstream fields(line.substr(8));
    fields >> m.pid_ >> m.monitor_pid_;
    return m;
  }
  if (line.starts_with("error ")) {
    size_t sp = line.find(' ', 6);
    int code = std::atoi(line.substr(6, sp - 6).c_str());
    throw Error(sp == std::string::npos ? "" : line.substr(sp + 1), code ? code : 125);
  }
  throw Error("berth-monitor exited before starting the container", 125);
}

std::string MonitorProcess::read_line() {
  for (;;) {
    size_t nl = buffer_.find('\n');
    if (nl != std::string::npos) {
      std::string line = buffer_.substr(0, nl);
      buffer_.erase(0, nl + 1);
      return line;
    }
    char buf[1024];
    ssize_t n = ::read(status_.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return {};
    buffer_.append(buf, static_cast<size_t>(n));
  }
}

int MonitorProcess::wait_exit() {
  std::string line = read_line();
  if (line.starts_with("exited ")) return std::atoi(line.c_str() + 7);
  return 255;
}

}  // namespace berth::engine::lifecycle
