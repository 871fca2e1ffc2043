#include "network/dns_control.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <sys/file.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <set>

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/spawn.h"
#include "core/state/container_store.h"
#include "network/dns_server.h"
#include "network/endpoints.h"
#include "network/host_info.h"
#include "network/network_store.h"
#include "sys/unique_fd.h"

namespace berth::network {

namespace fs = std::filesystem;

namespace {

constexpr int kReadyFd = 3;
constexpr int kReadyTimeoutMs = 5000;

DnsContainer dns_entry(const core::state::ContainerConfig& c, const ContainerNetworking& n) {
  DnsContainer d;
  d.id = c.id;
  d.name = c.name;
  d.hostname = c.hostname;
  for (const auto& s : n.dns) d.dns.push_back(parse_upstream(s));
  for (const auto& e : n.endpoints) {
    DnsEndpoint ep;
    ep.network = e.network;
    ep.ipv4 = e.ip;
    ep.aliases = e.aliases;
    d.endpoints.push_back(std::move(ep));
  }
  return d;
}

fs::path starting_dir(const Paths& paths) {
  return paths.runroot / "dns" / "starting";
}

// When the last table write that completed began (steady clock, ns), in <runroot>/dns.
fs::path derived_stamp(const Paths& paths) {
  return paths.runroot / "dns" / "derived-at";
}

int64_t ns_of(DnsClock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

// The containers whose start holds a marker; markers nobody holds are removed.
std::set<std::string> starting_ids(const Paths& paths) {
  std::set<std::string> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(starting_dir(paths), ec)) {
    const FileLock probe = FileLock::try_lock(entry.path(), FileLock::Mode::kShared);
    if (!probe.held()) {
      out.insert(entry.path().filename().string());
      continue;
    }
    std::error_code rm;
    fs::remove(entry.path(), rm);  // a start that was killed; we hold the network lock
  }
  return out;
}

// Waits up to timeout_ms for the server of this runroot to be gone.
bool wait_dns_gone(const Paths& paths, int timeout_ms) {
  for (int waited = 0; waited < timeout_ms; waited += 5) {
    if (!running_dns_server(dns_pid_path(paths.runroot))) return true;
    ::usleep(5000);
  }
  return false;
}

// Starts `berth --root R --runroot RR __dns` and waits for its ready byte. False when it did
// not become ready (e.g. a server that is exiting still holds the gateway's port).
bool try_start_dns_server(const Paths& paths) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) < 0) throw_errno("pipe2", "dns ready", errno);
  sys::UniqueFd ready_r(fds[0]), ready_w(fds[1]);
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) throw Error("read /proc/self/exe: " + ec.message());
  // A fresh signal state (spawn_session): an attached `run` blocks SIGTERM/SIGHUP while it
  // starts the container, and a blocked mask would make the server deaf to them.
  spawn_session(self, {self, "--root", paths.root, "--runroot", paths.runroot, "__dns"},
                {{-1, 0}, {-1, 1}, {-1, 2}, {ready_w.get(), kReadyFd}}, "berth __dns");
  ready_w.reset();
  pollfd p{ready_r.get(), POLLIN, 0};
  char c = 0;
  if (::poll(&p, 1, kReadyTimeoutMs) == 1 && ::read(ready_r.get(), &c, 1) == 1 && c == '1')
    return true;
  return running_dns_server(dns_pid_path(paths.runroot)).has_value();
}

void start_dns_server(const Paths& paths) {
  for (int attempt = 0; attempt < 5; ++attempt) {
    if (try_start_dns_server(paths)) return;
    ::usleep(100000);
  }
  throw Error("start DNS server: it did not become ready (run `berth __dns` by hand to see why)");
}

}  // namespace

DnsStarting::DnsStarting(const Paths& paths, const std::string& id)
    : path_(starting_dir(paths) / id) {
  make_dirs(path_.parent_path(), 0700);
  lock_.emplace(path_);
}

DnsStarting& DnsStarting::operator=(DnsStarting&& o) noexcept {
  release();
  path_ = std::move(o.path_);
  lock_ = std::move(o.lock_);
  o.lock_.reset();
  return *this;
}

DnsStarting::~DnsStarting() {
  release();
}

void DnsStarting::release() {
  if (!lock_) return;
  std::error_code ec;
  fs::remove(path_, ec);  // before the unlock: a held lock on a name is always a live start
  lock_.reset();
}

DnsTable derive_dns_table(const Paths& paths) {
  DnsTable t;
  const std::set<std::string> starting = starting_ids(paths);
  t.upstreams = read_host_upstreams();
  std::map<std::string, NetworkRecord> dns_networks;
  for (auto& n : NetworkStore(paths).list())
    if (n.dns) dns_networks.emplace(n.name, std::move(n));
  std::set<std::string> used;
  for (const auto& c : core::state::ContainerStore(paths).list()) {
    if (!c.running() && !starting.contains(c.id())) continue;
    ContainerNetworking n;
    try {
      n = networking_from_extensions(c.config.extensions);
    } catch (const Error& e) {
      spdlog::warn("container {}: {}; left out of the DNS", c.id(), e.what());
      continue;
    }
    DnsContainer d = dns_entry(c.config, n);
    std::erase_if(d.endpoints,
                  [&](const DnsEndpoint& e) { return !dns_networks.contains(e.network); });
    if (d.endpoints.empty()) continue;
    for (const auto& e : d.endpoints) used.insert(e.network);
    t.containers.push_back(std::move(d));
  }
  for (const auto& name : used) {
    const NetworkRecord& n = dns_networks.at(name);
    t.networks.push_back({n.name, n.subnet, n.gateway, n.internal});
  }
  return t;
}

void refresh_dns(const Paths& paths) {
  const DnsClock::time_point began = DnsClock::now();
  DnsTable t = derive_dns_table(paths);
  write_dns_table(dns_table_path(paths.runroot), t);
  write_file_atomic(derived_stamp(paths), std::to_string(ns_of(began)), 0600, false);
  spdlog::debug(
      "DNS table: {} containers, written in {} us", t.containers.size(),
      std::chrono::duration_cast<std::chrono::microseconds>(DnsClock::now() - began).count());
  auto pid = running_dns_server(dns_pid_path(paths.runroot));
  if (pid) {
    // With nothing left to serve it exits after kDnsIdleGrace, deciding under the network
    // lock that the caller holds now: a later refresh never signals a server on its way out.
    ::kill(*pid, SIGHUP);
    return;
  }
  if (!t.networks.empty()) start_dns_server(paths);
}

void refresh_dns_since(const Paths& paths, DnsClock::time_point since) {
  FileLock lock = NetworkStore(paths).lock();
  if (auto stamp = read_file_if_exists(derived_stamp(paths))) {
    char* end = nullptr;
    const long long began = std::strtoll(stamp->c_str(), &end, 10);
    if (end != stamp->c_str() && began > ns_of(since)) return;
  }
  refresh_dns(paths);
}

void stop_dns(const Paths& paths) {
  if (auto pid = running_dns_server(dns_pid_path(paths.runroot))) {
    ::kill(*pid, SIGTERM);
    wait_dns_gone(paths, kReadyTimeoutMs);
  }
}

int dns_command_main(const Paths& paths) {
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  bool has_ready = ::fcntl(kReadyFd, F_GETFD) >= 0;
  if (has_ready) ::fcntl(kReadyFd, F_SETFD, FD_CLOEXEC);
  DnsServerOptions o;
  o.table = dns_table_path(paths.runroot);
  o.pid_file = dns_pid_path(paths.runroot);
  o.ready_fd = has_ready ? kReadyFd : -1;
  o.exit_when_idle = true;
  o.idle_grace = kDnsIdleGrace;
  o.idle_lock = NetworkStore(paths).lock_path();
  o.state_dirs = {paths.root, paths.runroot};
  return run_dns_server(o);
}

}  // namespace berth::network
