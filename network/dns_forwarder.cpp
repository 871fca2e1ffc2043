#include "network/dns_forwarder.h"

#include <sys/socket.h>

#include <asio/connect.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/ip/udp.hpp>
#include <asio/read.hpp>
#include <asio/steady_timer.hpp>
#include <asio/write.hpp>
#include <memory>

namespace berth::network {

namespace {

using asio::ip::tcp;
using asio::ip::udp;

// One query's journey through the upstream list. Subclasses do the transport; this class owns
// the order, the deadline, the answer check and the single call of the callback. Every async
// handler carries the attempt number it belongs to, so a late completion of an abandoned
// attempt (its socket closed by the deadline) is ignored.
class Exchange : public std::enable_shared_from_this<Exchange> {
 public:
  struct Params {
    std::vector<uint8_t> packet;
    dns::Question question;
    uint16_t client_id = 0;
    uint16_t upstream_id = 0;
    std::vector<DnsUpstream> upstreams;
    std::chrono::milliseconds timeout;
    DnsForwarder::Callback cb;
    std::shared_ptr<size_t> in_flight;
  };
  Exchange(asio::io_context& io, Params p, const dns::Query& query)
      : io_(io), timer_(io), p_(std::move(p)) {
    dns::clamp_udp_size(query, p_.packet);
    p_.packet[0] = static_cast<uint8_t>(p_.upstream_id >> 8);
    p_.packet[1] = static_cast<uint8_t>(p_.upstream_id);
  }
  virtual ~Exchange() = default;

  void start() {
    ++*p_.in_flight;
    next();
  }

 protected:
  virtual void attempt(const asio::ip::address& addr, uint16_t port) = 0;
  virtual void close_socket() = 0;

  // The current attempt failed (error, bad answer stream, deadline): try the next upstream.
  void fail(unsigned attempt) {
    if (done_ || attempt != attempt_) return;
    timer_.cancel();
    close_socket();
    next();
  }

  // An answer arrived for `attempt`. Returns false when it is not ours (wrong id or question):
  // UDP keeps listening then, TCP gives up on that upstream.
  bool answer(unsigned attempt, std::span<const uint8_t> bytes) {
    if (done_ || attempt != attempt_) return true;
    if (!matches(bytes)) return false;
    std::vector<uint8_t> out(bytes.begin(), bytes.end());
    out[0] = static_cast<uint8_t>(p_.client_id >> 8);
    out[1] = static_cast<uint8_t>(p_.client_id);
    finish(std::move(out));
    return true;
  }

  unsigned current() const { return attempt_; }
  const std::vector<uint8_t>& packet() const { return p_.packet; }
  asio::io_context& io_;

 private:
  bool matches(std::span<const uint8_t> bytes) const {
    auto m = dns::parse_message(bytes);
    return m && m->header.id == p_.upstream_id && m->header.is_response() &&
           m->questions.size() == 1 && m->questions[0].name == p_.question.name &&
           m->questions[0].type == p_.question.type && m->questions[0].klass == p_.question.klass;
  }

  void next() {
    while (next_upstream_ < p_.upstreams.size()) {
      const auto& up = p_.upstreams[next_upstream_++];
      asio::error_code ec;
      auto addr = asio::ip::make_address(up.address, ec);
      if (ec) continue;
      unsigned id = ++attempt_;
      timer_.expires_after(p_.timeout);
      timer_.async_wait([self = shared_from_this(), id](const asio::error_code& e) {
        if (!e) self->fail(id);
      });
      attempt(addr, up.port);
      return;
    }
    finish(std::nullopt);
  }

  void finish(std::optional<std::vector<uint8_t>> result) {
    done_ = true;
    timer_.cancel();
    close_socket();
    --*p_.in_flight;
    auto cb = std::move(p_.cb);
    cb(std::move(result));
  }

  asio::steady_timer timer_;
  Params p_;
  size_t next_upstream_ = 0;
  unsigned attempt_ = 0;
  bool done_ = false;
};

// A socket opened with SOCK_CLOEXEC (asio's own open() does not ask for it).
template <typename Socket>
bool open_cloexec(Socket& s, const typename Socket::protocol_type& proto, int type) {
  int fd = ::socket(proto.family(), type | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return false;
  asio::error_code ec;
  s.assign(proto, fd, ec);
  if (ec) ::close(fd);
  return !ec;
}

class UdpExchange : public Exchange {
 public:
  using Exchange::Exchange;

 private:
  void attempt(const asio::ip::address& addr, uint16_t port) override {
    unsigned id = current();
    udp::endpoint ep(addr, port);
    asio::error_code ec;
    socket_ = udp::socket(io_);
    if (!open_cloexec(socket_, ep.protocol(), SOCK_DGRAM)) return fail(id);
    socket_.connect(ep, ec);
    if (ec) return fail(id);
    auto self = std::static_pointer_cast<UdpExchange>(shared_from_this());
    socket_.async_send(asio::buffer(packet()), [self, id](const asio::error_code& e, size_t) {
      if (e) self->fail(id);
    });
    receive(id);
  }

  void receive(unsigned id) {
    auto self = std::static_pointer_cast<UdpExchange>(shared_from_this());
    socket_.async_receive(asio::buffer(buf_), [self, id](const asio::error_code& e, size_t n) {
      if (e) return self->fail(id);  // includes ECONNREFUSED from an ICMP unreachable
      if (!self->answer(id, std::span<const uint8_t>(self->buf_.data(), n))) self->receive(id);
    });
  }

  void close_socket() override {
    asio::error_code ec;
    socket_.close(ec);
  }

  udp::socket socket_{io_};
  // The forwarded query asks for at most kEdnsUdpSize (clamp_udp_size); a longer datagram is
  // truncated here, fails to parse and counts as a failed attempt.
  std::vector<uint8_t> buf_ = std::vector<uint8_t>(dns::kEdnsUdpSize + 1);
};

class TcpExchange : public Exchange {
 public:
  TcpExchange(asio::io_context& io, Params p, const dns::Query& query)
      : Exchange(io, std::move(p), query) {
    const auto& q = packet();
    framed_.resize(q.size() + 2);
    framed_[0] = static_cast<uint8_t>(q.size() >> 8);
    framed_[1] = static_cast<uint8_t>(q.size());
    std::copy(q.begin(), q.end(), framed_.begin() + 2);
  }

 private:
  void attempt(const asio::ip::address& addr, uint16_t port) override {
    unsigned id = current();
    tcp::endpoint ep(addr, port);
    socket_ = tcp::socket(io_);
    if (!open_cloexec(socket_, ep.protocol(), SOCK_STREAM)) return fail(id);
    auto self = std::static_pointer_cast<TcpExchange>(shared_from_this());
    socket_.async_connect(ep, [self, id](const asio::error_code& e) {
      if (e) return self->fail(id);
      asio::async_write(self->socket_, asio::buffer(self->framed_),
                        [self, id](const asio::error_code& e2, size_t) {
                          if (e2) return self->fail(id);
                          self->read_length(id);
                        });
    });
  }

  void read_length(unsigned id) {
    auto self = std::static_pointer_cast<TcpExchange>(shared_from_this());
    asio::async_read(socket_, asio::buffer(len_), [self, id](const asio::error_code& e, size_t) {
      if (e) return self->fail(id);
      self->buf_.resize(size_t{self->len_[0]} << 8 | self->len_[1]);
      asio::async_read(self->socket_, asio::buffer(self->buf_),
                       [self, id](const asio::error_code& e2, size_t) {
                         if (e2 || !self->answer(id, self->buf_)) self->fail(id);
                       });
    });
  }

  void close_socket() override {
    asio::error_code ec;
    socket_.close(ec);
  }

  tcp::socket socket_{io_};
  std::vector<uint8_t> framed_;
  std::array<uint8_t, 2> len_{};
  std::vector<uint8_t> buf_;
};

}  // namespace

DnsForwarder::DnsForwarder(asio::io_context& io, std::chrono::milliseconds timeout,
                           size_t max_in_flight)
    : io_(io), timeout_(timeout), max_in_flight_(max_in_flight) {}

bool DnsForwarder::forward(std::vector<uint8_t> packet, const dns::Query& query,
                           std::vector<DnsUpstream> upstreams, DnsTransport transport,
                           Callback cb) {
  if (*in_flight_ >= max_in_flight_ || packet.size() < dns::kHeaderSize) return false;
  Exchange::Params p{
      std::move(packet),    query.question, query.header.id, static_cast<uint16_t>(rng_()),
      std::move(upstreams), timeout_,       std::move(cb),   in_flight_};
  std::shared_ptr<Exchange> ex;
  if (transport == DnsTransport::kTcp)
    ex = std::make_shared<TcpExchange>(io_, std::move(p), query);
  else
    ex = std::make_shared<UdpExchange>(io_, std::move(p), query);
  ex->start();
  return true;
}

}  // namespace berth::network
