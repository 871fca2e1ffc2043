#include "network/dns_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/ip/udp.hpp>
#include <asio/read.hpp>
#include <asio/signal_set.hpp>
#include <asio/steady_timer.hpp>
#include <asio/write.hpp>
#include <map>
#include <memory>
#include <set>

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/file_lock.h"
#include "network/dns_forwarder.h"
#include "network/dns_records.h"
#include "network/dns_responder.h"
#include "network/dns_udp_batch.h"
#include "sys/unique_fd.h"

namespace berth::network {

namespace {

using asio::ip::tcp;
using asio::ip::udp;

constexpr int kUdpRounds = 4;  // batches drained before yielding to the other sockets

// One address the server answers on: a UDP socket and a TCP listener bound to it.
struct Listener {
  Listener(asio::io_context& io, Ipv4Address a) : address(a), udp_socket(io), tcp_acceptor(io) {}
  Ipv4Address address;
  udp::socket udp_socket;
  tcp::acceptor tcp_acceptor;
  UdpBatch batch;
  bool closed = false;

  void close() {
    closed = true;
    asio::error_code ec;
    udp_socket.close(ec);
    tcp_acceptor.close(ec);
  }
};

// A bound (and for TCP listening) IPv4 socket, SOCK_CLOEXEC. IP_FREEBIND lets it bind a gateway
// address before the bridge holding it is up, so the engine need not order the two.
sys::UniqueFd open_bound(int type, Ipv4Address addr, uint16_t port) {
  std::string where = to_string(addr) + ":" + std::to_string(port);
  sys::UniqueFd fd(::socket(AF_INET, type | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!fd) throw_errno("socket", where, errno);
  int one = 1;
  if (::setsockopt(fd.get(), IPPROTO_IP, IP_FREEBIND, &one, sizeof one) < 0)
    throw_errno("setsockopt IP_FREEBIND", where, errno);
  if (type == SOCK_STREAM && ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0)
    throw_errno("setsockopt SO_REUSEADDR", where, errno);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(port);
  sa.sin_addr.s_addr = htonl(addr.value);
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&sa), sizeof sa) < 0)
    throw_errno(type == SOCK_STREAM ? "bind tcp" : "bind udp", where, errno);
  if (type == SOCK_STREAM && ::listen(fd.get(), 128) < 0) throw_errno("listen", where, errno);
  return fd;
}

std::filesystem::path lock_path(const std::filesystem::path& pid_file) {
  return pid_file.string() + ".lock";
}

Ipv4Address v4_of(const asio::ip::address& a) {
  return a.is_v4() ? Ipv4Address{a.to_v4().to_uint()} : Ipv4Address{};
}

class Server;

// One TCP client: length-prefixed queries answered in turn (RFC 7766), closed when idle.
class TcpSession : public std::enable_shared_from_this<TcpSession> {
 public:
  TcpSession(Server& server, tcp::socket socket, Ipv4Address local);
  ~TcpSession();
  void start() { read_length(); }

 private:
  void read_length();
  void handle();
  void write(std::vector<uint8_t> reply);
  void close() {
    asio::error_code ec;
    socket_.close(ec);
    idle_.cancel();
  }

  Server& server_;
  tcp::socket socket_;
  asio::steady_timer idle_;
  Ipv4Address local_, peer_;
  std::array<uint8_t, 2> len_{};
  std::vector<uint8_t> body_, out_;
};

class Server {
 public:
  explicit Server(const DnsServerOptions& o)
      : opts_(o),
        signals_(io_, SIGHUP, SIGTERM, SIGINT),
        forwarder_(io_, o.forward_timeout, o.max_forwards) {}

  int run();

  DnsDecision decide_packet(std::span<const uint8_t> pkt, Ipv4Address src, Ipv4Address local,
                            DnsTransport t) {
    return decide(table_, pkt, src, local, t, rng_);
  }
  DnsForwarder& forwarder() { return forwarder_; }
  asio::io_context& io() { return io_; }
  const DnsServerOptions& options() const { return opts_; }
  // Declared before io_ on purpose: sessions still queued in io_ when it is destroyed count
  // themselves out of it.
  size_t tcp_sessions = 0;

 private:
  bool reconcile();
  void open_listener(Ipv4Address addr);
  void receive_udp(const std::shared_ptr<Listener>& l);
  void drain_udp(const std::shared_ptr<Listener>& l);
  void handle_udp(const std::shared_ptr<Listener>& l, size_t i);
  void send_udp(const std::shared_ptr<Listener>& l, const udp::endpoint& to,
                std::vector<uint8_t> bytes);
  void accept_tcp(const std::shared_ptr<Listener>& l);
  void wait_signal();
  void reload();
  void watch_state_dirs();
  bool state_dirs_present() const;
  bool idle() const { return opts_.exit_when_idle && listeners_.empty(); }
  void arm_idle_exit(std::chrono::milliseconds after);

  asio::io_context io_;  // first: destroyed last, after everything holding its sockets
  DnsServerOptions opts_;
  asio::signal_set signals_;
  DnsForwarder forwarder_;
  DnsRecords table_;
  std::map<Ipv4Address, std::shared_ptr<Listener>> listeners_;
  std::mt19937 rng_{std::random_device{}()};
  asio::steady_timer idle_timer_{io_};
  asio::steady_timer state_timer_{io_};
  // O_PATH fds of opts_.state_dirs, opened at start: the inodes stay pinned, so a directory
  // made later at the same path can never get the same inode number.
  std::vector<sys::UniqueFd> state_fds_;
  std::optional<FileLock> pid_lock_;   // held while this process is the runroot's server
  std::optional<FileLock> exit_lock_;  // idle_lock, held from the decision to exit to the end
};

TcpSession::TcpSession(Server& server, tcp::socket socket, Ipv4Address local)
    : server_(server), socket_(std::move(socket)), idle_(server.io()), local_(local) {
  asio::error_code ec;
  peer_ = v4_of(socket_.remote_endpoint(ec).address());
  ++server_.tcp_sessions;
}

TcpSession::~TcpSession() {
  --server_.tcp_sessions;
}

void TcpSession::read_length() {
  auto self = shared_from_this();
  idle_.expires_after(server_.options().tcp_idle_timeout);
  idle_.async_wait([self](const asio::error_code& e) {
    if (!e) self->close();
  });
  asio::async_read(socket_, asio::buffer(len_), [self](const asio::error_code& e, size_t) {
    if (e) return self->close();
    self->body_.resize(size_t{self->len_[0]} << 8 | self->len_[1]);
    asio::async_read(self->socket_, asio::buffer(self->body_),
                     [self](const asio::error_code& e2, size_t) {
                       if (e2) return self->close();
                       self->idle_.cancel();
                       self->handle();
                     });
  });
}

void TcpSession::handle() {
  auto d = server_.decide_packet(body_, peer_, local_, DnsTransport::kTcp);
  switch (d.kind) {
    case DnsDecision::Kind::kDrop:
      return close();
    case DnsDecision::Kind::kReply:
      return write(std::move(d.reply));
    case DnsDecision::Kind::kForward:
      break;
  }
  auto self = shared_from_this();
  auto query = d.query;
  bool started =
      server_.forwarder().forward(body_, d.query, d.upstreams, DnsTransport::kTcp,
                                  [self, query](std::optional<std::vector<uint8_t>> r) {
                                    self->write(r ? std::move(*r) : forward_failure(query));
                                  });
  if (!started) write(forward_failure(query));
}

void TcpSession::write(std::vector<uint8_t> reply) {
  out_.assign({static_cast<uint8_t>(reply.size() >> 8), static_cast<uint8_t>(reply.size())});
  out_.insert(out_.end(), reply.begin(), reply.end());
  auto self = shared_from_this();
  asio::async_write(socket_, asio::buffer(out_), [self](const asio::error_code& e, size_t) {
    if (e) return self->close();
    self->read_length();
  });
}

void Server::open_listener(Ipv4Address addr) {
  auto l = std::make_shared<Listener>(io_, addr);
  sys::UniqueFd u = open_bound(SOCK_DGRAM, addr, opts_.port);
  sys::UniqueFd t = open_bound(SOCK_STREAM, addr, opts_.port);
  l->udp_socket.assign(udp::v4(), u.release());
  l->udp_socket.non_blocking(true);
  l->tcp_acceptor.assign(tcp::v4(), t.release());
  listeners_[addr] = l;
  receive_udp(l);
  accept_tcp(l);
  spdlog::info("dns: listening on {}:{}", to_string(addr), opts_.port);
}

bool Server::reconcile() {
  std::set<Ipv4Address> want;
  for (auto gw : table_.gateways()) want.insert(gw);
  for (const auto& s : opts_.listen) want.insert(parse_ipv4_or_throw(s));
  for (auto it = listeners_.begin(); it != listeners_.end();) {
    if (want.count(it->first)) {
      ++it;
      continue;
    }
    spdlog::info("dns: no longer listening on {}", to_string(it->first));
    it->second->close();
    it = listeners_.erase(it);
  }
  bool ok = true;
  for (auto addr : want) {
    if (listeners_.count(addr)) continue;
    try {
      open_listener(addr);
    } catch (const Error& e) {
      spdlog::error("dns: {}", e.what());
      ok = false;
    }
  }
  return ok;
}

void Server::receive_udp(const std::shared_ptr<Listener>& l) {
  l->udp_socket.async_wait(udp::socket::wait_read, [this, l](const asio::error_code& e) {
    if (l->closed || e == asio::error::operation_aborted) return;
    if (!e) drain_udp(l);
    if (!l->closed) receive_udp(l);
  });
}

void Server::drain_udp(const std::shared_ptr<Listener>& l) {
  int fd = l->udp_socket.native_handle();
  for (int round = 0; round < kUdpRounds && !l->closed; ++round) {
    size_t n = l->batch.receive(fd);
    for (size_t i = 0; i < n; ++i) handle_udp(l, i);
    l->batch.flush(fd);
    if (n < UdpBatch::kSize) return;
  }
}

void Server::handle_udp(const std::shared_ptr<Listener>& l, size_t i) {
  auto pkt = l->batch.datagram(i);
  if (pkt.empty()) return;
  const sockaddr_in& from = l->batch.source(i);
  Ipv4Address source{ntohl(from.sin_addr.s_addr)};
  auto d = decide_packet(pkt, source, l->address, DnsTransport::kUdp);
  if (d.kind == DnsDecision::Kind::kDrop) return;
  if (d.kind == DnsDecision::Kind::kReply) return l->batch.queue(from, std::move(d.reply));
  udp::endpoint sender(asio::ip::address_v4(source.value), ntohs(from.sin_port));
  auto query = d.query;
  bool started = forwarder_.forward(
      std::vector<uint8_t>(pkt.begin(), pkt.end()), d.query, d.upstreams, DnsTransport::kUdp,
      [this, l, sender, query](std::optional<std::vector<uint8_t>> r) {
        if (!l->closed) send_udp(l, sender, r ? std::move(*r) : forward_failure(query));
      });
  if (!started) l->batch.queue(from, forward_failure(query));
}

void Server::send_udp(const std::shared_ptr<Listener>& l, const udp::endpoint& to,
                      std::vector<uint8_t> bytes) {
  // The socket is non-blocking: a reply that does not fit the send buffer is dropped, as the
  // network could drop it, and the client retries.
  asio::error_code ec;
  l->udp_socket.send_to(asio::buffer(bytes), to, 0, ec);
}

void Server::accept_tcp(const std::shared_ptr<Listener>& l) {
  l->tcp_acceptor.async_accept([this, l](const asio::error_code& e, tcp::socket s) {
    if (l->closed || e == asio::error::operation_aborted) return;
    if (!e) {
      ::fcntl(s.native_handle(), F_SETFD, FD_CLOEXEC);
      if (tcp_sessions < opts_.max_tcp_connections)
        std::make_shared<TcpSession>(*this, std::move(s), l->address)->start();
      return accept_tcp(l);
    }
    // EMFILE and friends: back off instead of spinning on a listener that stays readable.
    auto timer = std::make_shared<asio::steady_timer>(io_, std::chrono::milliseconds(100));
    timer->async_wait([this, l, timer](const asio::error_code&) {
      if (!l->closed) accept_tcp(l);
    });
  });
}

void Server::reload() {
  try {
    table_ = DnsRecords::load(opts_.table);
    spdlog::info("dns: reloaded {} ({} networks)", opts_.table.string(), table_.networks().size());
  } catch (const Error& e) {
    spdlog::error("dns: reload: {}; keeping the previous table", e.what());
    return;
  }
  reconcile();
}

// The grace period's end: under the writers' lock, the table on disk decides. Busy lock: try
// again shortly (never block the loop: the writer may be waiting for this process).
void Server::arm_idle_exit(std::chrono::milliseconds after) {
  idle_timer_.expires_after(after);
  idle_timer_.async_wait([this](const asio::error_code& e) {
    if (e) return;  // cancelled: networks came back
    if (!opts_.idle_lock.empty()) {
      FileLock lock = FileLock::try_lock(opts_.idle_lock);
      if (!lock.held()) return arm_idle_exit(std::chrono::milliseconds(20));
      reload();
      if (!idle()) return;
      exit_lock_.emplace(std::move(lock));
    }
    spdlog::info("dns: no network left, exiting");
    pid_lock_.reset();  // no longer the server, before the writers' lock is released
    io_.stop();
  });
}

bool Server::state_dirs_present() const {
  for (size_t i = 0; i < state_fds_.size(); ++i) {
    struct stat now;
    struct stat then;
    if (::stat(opts_.state_dirs[i].c_str(), &now) != 0) {
      if (errno == ENOENT || errno == ENOTDIR) return false;
      continue;  // anything else (EACCES, ENOMEM) proves nothing: look again next time
    }
    if (::fstat(state_fds_[i].get(), &then) != 0) continue;
    if (now.st_dev != then.st_dev || now.st_ino != then.st_ino) return false;
  }
  return true;
}

// A periodic look rather than inotify: it also sees a parent renamed or unmounted, and costs
// one stat per directory per interval.
void Server::watch_state_dirs() {
  state_timer_.expires_after(opts_.state_check_interval);
  state_timer_.async_wait([this](const asio::error_code& e) {
    if (e) return;
    if (state_dirs_present()) return watch_state_dirs();
    spdlog::info("dns: state directory gone, exiting");
    pid_lock_.reset();
    io_.stop();
  });
}

void Server::wait_signal() {
  signals_.async_wait([this](const asio::error_code& e, int sig) {
    if (e) return;
    if (sig != SIGHUP) return io_.stop();
    reload();
    if (idle()) {
      if (opts_.idle_grace.count() == 0) {
        spdlog::info("dns: no network left, exiting");
        return io_.stop();
      }
      arm_idle_exit(opts_.idle_grace);
    } else {
      idle_timer_.cancel();
    }
    wait_signal();
  });
}

int Server::run() {
  if (!opts_.pid_file.empty()) {
    make_dirs(opts_.pid_file.parent_path());
    pid_lock_.emplace(FileLock::try_lock(lock_path(opts_.pid_file)));
    if (!pid_lock_->held()) throw Error("a DNS server already runs for " + opts_.pid_file.string());
  }
  for (const auto& dir : opts_.state_dirs) {
    state_fds_.emplace_back(::open(dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!state_fds_.back()) throw_errno("open", dir.string(), errno);
  }
  table_ = DnsRecords::load(opts_.table);
  if (!reconcile()) return 1;
  if (!opts_.pid_file.empty()) write_file_atomic(opts_.pid_file, std::to_string(::getpid()));
  if (opts_.ready_fd >= 0) {
    ssize_t n = ::write(opts_.ready_fd, "1", 1);
    (void)n;
    ::close(opts_.ready_fd);
  }
  if (idle()) return 0;
  wait_signal();
  if (!opts_.state_dirs.empty()) watch_state_dirs();
  while (true) {
    try {
      io_.run();
      return 0;
    } catch (const std::exception& e) {
      // A handler bug must not take every network's DNS down: log it and keep serving.
      spdlog::error("dns: {}", e.what());
    }
  }
}

}  // namespace

std::filesystem::path dns_pid_path(const std::filesystem::path& runroot) {
  return runroot / "dns" / "pid";
}

std::optional<pid_t> running_dns_server(const std::filesystem::path& pid_file) {
  if (!std::filesystem::exists(lock_path(pid_file))) return std::nullopt;
  if (FileLock::try_lock(lock_path(pid_file)).held()) return std::nullopt;
  auto text = read_file_if_exists(pid_file);
  if (!text) return std::nullopt;
  char* end = nullptr;
  long pid = std::strtol(text->c_str(), &end, 10);
  if (pid <= 0 || end == text->c_str()) return std::nullopt;
  return static_cast<pid_t>(pid);
}

int run_dns_server(const DnsServerOptions& options) {
  try {
    Server server(options);
    return server.run();
  } catch (const std::exception& e) {
    spdlog::error("dns: {}", e.what());
    return 1;
  }
}

}  // namespace berth::network
