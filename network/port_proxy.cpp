#include "network/port_proxy.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <spdlog/spdlog.h>
#include <cerrno>
#include <cstdlib>
#include <filesystem>

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/file_lock.h"
#include "common/spawn.h"
#include "network/nft_lib.h"
#include "network/proxy_protocol.h"

namespace berth::network {

namespace fs = std::filesystem;

namespace {

constexpr int kReadyTimeoutMs = 5000;
constexpr int kStopTimeoutMs = 2000;

fs::path proxy_dir(const Paths& paths) {
  return paths.runroot / "proxy";
}

fs::path lock_of(const fs::path& base) {
  return base.string() + ".lock";
}

fs::path pid_of(const fs::path& base) {
  return base.string() + ".pid";
}

// Written by attach(): the proxy serves a container that has started.
fs::path attached_of(const fs::path& base) {
  return base.string() + ".monitor";
}

fs::path proxy_binary() {
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) throw Error("read /proc/self/exe: " + ec.message(), 125);
  return self.parent_path() / kProxyBinary;
}

// The proxy's one status line ("" when it closed the pipe without one, or took too long).
std::string read_status(int fd) {
  std::string line;
  pollfd p{fd, POLLIN, 0};
  char buf[512];
  while (line.find('\n') == std::string::npos && ::poll(&p, 1, kReadyTimeoutMs) == 1) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    line.append(buf, static_cast<size_t>(n));
  }
  return line.substr(0, line.find('\n'));
}

bool lock_free(const fs::path& lock) {
  return FileLock::try_lock(lock).held();
}

}  // namespace

bool userland_proxy_wanted() {
  const char* forced = std::getenv("BERTH_USERLAND_PROXY");
  if (forced && std::string(forced) == "1") return true;
  return !nft_available();
}

PortProxy PortProxy::start(const Paths& paths, const std::string& id, Ipv4Address ip,
                           const std::vector<PortBinding>& bindings) {
  const std::string bin = proxy_binary().string();
  if (::access(bin.c_str(), X_OK) < 0) throw_errno("find port proxy", bin, errno);
  make_dirs(proxy_dir(paths), 0700);
  int st[2], ctl[2];
  if (::pipe2(st, O_CLOEXEC) < 0) throw_errno("pipe2", "port proxy", errno);
  sys::UniqueFd status_r(st[0]), status_w(st[1]);
  if (::pipe2(ctl, O_CLOEXEC) < 0) throw_errno("pipe2", "port proxy", errno);
  sys::UniqueFd control_r(ctl[0]), control_w(ctl[1]);
  const fs::path base = proxy_dir(paths) / id;
  std::vector<std::string> argv = {bin, base.string(), to_string(ip)};
  for (const auto& b : bindings) argv.push_back(encode_proxy_binding(b));
  spawn_session(bin, argv,
                {{-1, 0},
                 {-1, 1},
                 {-1, 2},
                 {status_w.get(), kProxyStatusFd},
                 {control_r.get(), kProxyControlFd}},
                kProxyBinary);
  status_w.reset();
  control_r.reset();
  const std::string line = read_status(status_r.get());
  if (line == "ok") return PortProxy(std::move(control_w), base);
  control_w.reset();  // whatever happened, a proxy without its monitor's pid exits
  if (line.starts_with("error ")) throw Error(line.substr(6), 125);
  throw Error("start " + bin + ": it exited before binding the published ports", 125);
}

void PortProxy::attach(pid_t monitor_pid) {
  const std::string text = std::to_string(monitor_pid) + "\n";
  try {
    write_file_atomic(attached_of(base_), text, 0600, false);
  } catch (const Error& e) {
    // It still serves, and the monitor's network teardown still stops it; only a stale-proxy
    // sweep (stop_stale_port_proxies) takes it for a start in progress and leaves it.
    spdlog::warn("port proxy of container {}: {}", base_.filename().string(), e.what());
  }
  ssize_t n = ::write(control_.get(), text.data(), text.size());
  (void)n;  // a proxy that is gone cannot be told; its ports are free then
  control_.reset();
}

void stop_port_proxy(const Paths& paths, const std::string& id) {
  const fs::path base = proxy_dir(paths) / id;
  const fs::path lock = lock_of(base);
  if (!fs::exists(lock)) return;
  if (!lock_free(lock)) {
    // The lock is held only by a live proxy, so the pid it wrote is its own.
    auto text = read_file_if_exists(pid_of(base));
    pid_t pid = text ? static_cast<pid_t>(std::atol(text->c_str())) : 0;
    if (pid > 0) ::kill(pid, SIGTERM);
    int waited = 0;
    for (; waited < kStopTimeoutMs && !lock_free(lock); waited += 2) ::usleep(2000);
    if (waited >= kStopTimeoutMs && pid > 0) ::kill(pid, SIGKILL);
    FileLock held(lock);  // blocks until it is gone
  }
  std::error_code ec;
  fs::remove(pid_of(base), ec);
  fs::remove(attached_of(base), ec);
  fs::remove(lock, ec);
}

bool stop_stale_port_proxies(const Paths& paths, const std::set<std::string>& running) {
  std::error_code ec;
  bool stopped = false;
  for (const auto& e : fs::directory_iterator(proxy_dir(paths), ec)) {
    const std::string name = e.path().filename().string();
    if (!name.ends_with(".lock")) continue;
    const std::string id = name.substr(0, name.size() - 5);
    if (running.count(id) || !fs::exists(attached_of(proxy_dir(paths) / id)) || lock_free(e.path()))
      continue;
    stop_port_proxy(paths, id);
    stopped = true;
  }
  return stopped;
}

}  // namespace berth::network
