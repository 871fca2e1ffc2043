#include "network/userland_proxy.h"

#include <array>
#include <asio/connect.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/ip/udp.hpp>
#include <asio/write.hpp>
#include <cctype>
#include <map>

#include "common/error.h"

namespace berth::network {

using asio::ip::tcp;
using asio::ip::udp;

namespace {

constexpr size_t kBuffer = 64 * 1024;

asio::ip::address listen_address(const PortBinding& b) {
  if (b.host_ip.empty()) return asio::ip::address_v4::any();
  return asio::ip::make_address(b.host_ip);
}

[[noreturn]] void bind_failed(const PortBinding& b, const asio::error_code& ec) {
  std::string ip = b.host_ip.empty() ? "0.0.0.0" : b.host_ip;
  if (ip.find(':') != std::string::npos) ip = "[" + ip + "]";
  std::string why = ec.message();  // "Address already in use": lower case, as Docker prints it
  if (!why.empty()) why[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(why[0])));
  throw Error("Bind for " + ip + ":" + std::to_string(b.host_port) + " failed: " + why);
}

// One direction of a TCP connection: read from `from`, write all to `to`, until EOF; then
// half-close `to` so the other side sees the end too.
struct Pipe : std::enable_shared_from_this<Pipe> {
  std::shared_ptr<tcp::socket> from, to;
  std::array<char, kBuffer> buf;
  Pipe(std::shared_ptr<tcp::socket> f, std::shared_ptr<tcp::socket> t)
      : from(std::move(f)), to(std::move(t)) {}
  void start() {
    auto self = shared_from_this();
    from->async_read_some(asio::buffer(buf), [self](asio::error_code ec, size_t n) {
      if (ec) {
        asio::error_code ignored;
        self->to->shutdown(tcp::socket::shutdown_send, ignored);
        return;
      }
      asio::async_write(*self->to, asio::buffer(self->buf.data(), n),
                        [self](asio::error_code wec, size_t) {
                          if (wec) {
                            asio::error_code ignored;
                            self->from->close(ignored);
                            return;
                          }
                          self->start();
                        });
    });
  }
};

struct TcpForward {
  tcp::acceptor acceptor;
  tcp::endpoint target;
  TcpForward(asio::io_context& io, const PortBinding& b, tcp::endpoint t)
      : acceptor(io), target(t) {
    tcp::endpoint local(listen_address(b), b.host_port);
    asio::error_code ec;
    acceptor.open(local.protocol(), ec);
    if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) acceptor.bind(local, ec);
    if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) bind_failed(b, ec);
  }
  void accept() {
    acceptor.async_accept([this](asio::error_code ec, tcp::socket client) {
      if (ec == asio::error::operation_aborted) return;
      if (!ec) connect(std::make_shared<tcp::socket>(std::move(client)));
      accept();
    });
  }
  void connect(std::shared_ptr<tcp::socket> client) {
    auto upstream = std::make_shared<tcp::socket>(acceptor.get_executor());
    upstream->async_connect(target, [client, upstream](asio::error_code ec) {
      if (ec) return;  // the client sees its connection closed
      asio::error_code ignored;
      client->set_option(tcp::no_delay(true), ignored);
      upstream->set_option(tcp::no_delay(true), ignored);
      std::make_shared<Pipe>(client, upstream)->start();
      std::make_shared<Pipe>(upstream, client)->start();
    });
  }
};

struct UdpForward {
  udp::socket socket;
  udp::endpoint target, sender;
  std::array<char, kBuffer> buf;
  // One connected upstream socket per client, so replies find their way back.
  struct Flow {
    udp::socket up;
    udp::endpoint client;
    std::array<char, kBuffer> buf;
    explicit Flow(asio::io_context& io) : up(io) {}
  };
  std::map<udp::endpoint, std::shared_ptr<Flow>> flows;
  asio::io_context& io;

  UdpForward(asio::io_context& ctx, const PortBinding& b, udp::endpoint t)
      : socket(ctx), target(t), io(ctx) {
    udp::endpoint local(listen_address(b), b.host_port);
    asio::error_code ec;
    socket.open(local.protocol(), ec);
    if (!ec) socket.bind(local, ec);
    if (ec) bind_failed(b, ec);
  }
  void receive() {
    socket.async_receive_from(asio::buffer(buf), sender, [this](asio::error_code ec, size_t n) {
      if (ec == asio::error::operation_aborted) return;
      if (!ec) forward(n);
      receive();
    });
  }
  void forward(size_t n) {
    auto& flow = flows[sender];
    if (!flow) {
      flow = std::make_shared<Flow>(io);
      flow->client = sender;
      asio::error_code ec;
      flow->up.connect(target, ec);
      if (ec) {
        flows.erase(sender);
        return;
      }
      reply(flow);
    }
    asio::error_code ignored;
    flow->up.send(asio::buffer(buf.data(), n), 0, ignored);
  }
  void reply(std::shared_ptr<Flow> flow) {
    flow->up.async_receive(asio::buffer(flow->buf), [this, flow](asio::error_code ec, size_t n) {
      if (ec == asio::error::operation_aborted) return;
      asio::error_code ignored;
      if (!ec) socket.send_to(asio::buffer(flow->buf.data(), n), flow->client, 0, ignored);
      reply(flow);
    });
  }
};

}  // namespace

struct UserlandProxy::Impl {
  std::vector<std::unique_ptr<TcpForward>> tcp;
  std::vector<std::unique_ptr<UdpForward>> udp;
};

UserlandProxy::UserlandProxy(const std::vector<PortBinding>& bindings, Ipv4Address container_ip)
    : impl_(std::make_unique<Impl>()) {
  auto ip = asio::ip::make_address_v4(container_ip.value);
  for (const auto& b : bindings) {
    if (b.proto == "tcp") {
      impl_->tcp.push_back(
          std::make_unique<TcpForward>(io_, b, tcp::endpoint(ip, b.container_port)));
    } else if (b.proto == "udp") {
      impl_->udp.push_back(
          std::make_unique<UdpForward>(io_, b, udp::endpoint(ip, b.container_port)));
    } else {
      throw Error("userland proxy: " + b.proto + " is not supported (port " +
                  std::to_string(b.host_port) + ")");
    }
  }
  for (auto& t : impl_->tcp) t->accept();
  for (auto& u : impl_->udp) u->receive();
}

// impl_ goes first (members die in reverse order): its sockets close while io_ still exists,
// and the handlers left queued are destroyed with io_, never run.
UserlandProxy::~UserlandProxy() = default;

void UserlandProxy::run() {
  io_.run();
}

void UserlandProxy::stop() {
  io_.stop();
}

}  // namespace berth::network
