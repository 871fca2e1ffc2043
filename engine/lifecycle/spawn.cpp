#include "engine/lifecycle/spawn.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <sstream>

#include "common/error.h"
#include "common/spawn.h"
#include "core/monitor/protocol.h"
#include "core/runtime/init_binary.h"
#include "sys/fd_passing.h"
#include "sys/syscalls.h"
#include "sys/write_all.h"

namespace berth::engine::lifecycle {

namespace fs = std::filesystem;

namespace {

// Starts berth-monitor in a new session, nobody's child (common/spawn.h: no process is
// copied), with exactly the protocol's fds, so it outlives us.
void exec_monitor(const std::string& bin, int spec, int status, const int attach[3], int network) {
  sys::UniqueFd tree(core::runtime::readonly_detached_mount(bin.c_str()));
  if (!tree) throw_errno("mount read-only", bin, -tree.get());
  std::vector<SpawnFd> fds = {{spec, core::monitor::kSpecFd},
                              {-1, 1},
                              {-1, 2},
                              {status, core::monitor::kStatusFd},
                              {tree.get(), core::monitor::kSelfFd},
                              {network, core::monitor::kNetworkFd}};
  for (int i = 0; i < 3; ++i)
    if (attach[i] >= 0) fds.push_back({attach[i], core::monitor::kAttachFd[i]});
  // argv[0]: the file's path, which the monitor needs to mount itself at /dev/init (--init).
  static_assert(core::monitor::kSelfFd == 7, "the path below names kSelfFd");
  spawn_session("/proc/self/fd/7", {bin}, fds, bin);
}

std::pair<sys::UniqueFd, sys::UniqueFd> socket_pair(int type) {
  int sv[2];
  if (::socketpair(AF_UNIX, type | SOCK_CLOEXEC, 0, sv) < 0)
    throw_errno("socketpair", "monitor", errno);
  return {sys::UniqueFd(sv[0]), sys::UniqueFd(sv[1])};
}

}  // namespace

fs::path MonitorProcess::binary() {
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) throw Error("read /proc/self/exe: " + ec.message(), 125);
  return self.parent_path() / core::monitor::kMonitorBinary;
}

MonitorProcess MonitorProcess::spawn(const int attach[3]) {
  const std::string bin = binary().string();
  if (::access(bin.c_str(), X_OK) < 0) throw_errno("find monitor", bin, errno);
  auto [spec_w, spec_r] = socket_pair(SOCK_STREAM);
  auto [network_w, network_r] = socket_pair(SOCK_SEQPACKET);
  int status_pipe[2];
  if (::pipe2(status_pipe, O_CLOEXEC) < 0) throw_errno("pipe2", "monitor", errno);
  sys::UniqueFd status_r(status_pipe[0]), status_w(status_pipe[1]);
  exec_monitor(bin, spec_r.get(), status_w.get(), attach, network_r.get());
  return MonitorProcess(std::move(spec_w), std::move(network_w), std::move(status_r));
}

void MonitorProcess::send_spec(const core::runtime::RuntimeSpec& spec) {
  // MSG_NOSIGNAL: a monitor that died early is an error, not a SIGPIPE.
  const std::string msg = core::runtime::to_json(spec).dump();
  if (int rc = sys::send_all(spec_.get(), msg.data(), msg.size(), MSG_NOSIGNAL); rc < 0)
    throw_errno("write spec", "berth-monitor", -rc);
  spec_.reset();
}

void MonitorProcess::send_network(const core::runtime::NetworkSpec& net, int netns_fd) {
  const std::string msg = "network " + core::runtime::to_json(net).dump();
  if (msg.size() > core::monitor::kNetworkMessageMax) throw Error("network spec too large", 125);
  sys::send_with_fd(network_.get(), msg.data(), msg.size(), net.join_netns ? netns_fd : -1);
  network_.reset();
}

void MonitorProcess::wait_started() {
  std::string line = read_line();
  if (line.starts_with("started ")) {
    std::istringstream fields(line.substr(8));
    fields >> pid_ >> monitor_pid_;
    return;
  }
  if (auto e = core::monitor::parse_error_message(line)) throw Error(e->message, e->code);
  throw Error("berth-monitor exited before starting the container", 125);
}

void MonitorProcess::abandon(const Error& e) {
  if (pid_ != 0) return;  // it started: the failure is ours alone
  spec_.reset();          // no spec yet: the monitor exits at once
  if (network_) {
    std::string msg = core::monitor::error_message(e.exit_code(), e.what());
    msg.resize(std::min(msg.size(), core::monitor::kNetworkMessageMax));
    sys::send_with_fd(network_.get(), msg.data(), msg.size(), -1);
    network_.reset();
  }
  // Its "error" line, or the end of the pipe: either way it is done with the container.
  while (!read_line().empty()) {
  }
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
