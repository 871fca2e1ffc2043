// The userland proxy (ARCHITECTURE.md §5): where nftables is unavailable, published ports
// are forwarded by a process on the host (the container's monitor) that listens on each
// host address:port and relays to the container's address:port — TCP by splicing accepted
// connections, UDP by one upstream socket per client address. Asio, one thread.
#pragma once

#include <asio/io_context.hpp>
#include <memory>
#include <vector>

#include "network/cidr.h"
#include "network/port_spec.h"

namespace berth::network {

class UserlandProxy {
 public:
  // Binds every listening socket at once (host ports must be chosen); throws Error
  // "Bind for 0.0.0.0:18080 failed: address already in use" (or another errno text), leaving
  // nothing bound. IPv6 host addresses are proxied to the container's IPv4 address.
  UserlandProxy(const std::vector<PortBinding>& bindings, Ipv4Address container_ip);
  ~UserlandProxy();
  UserlandProxy(const UserlandProxy&) = delete;
  UserlandProxy& operator=(const UserlandProxy&) = delete;

  // Serves until stop(); run it on a thread of its own.
  void run();
  // Thread-safe; closes every socket, run() returns.
  void stop();

 private:
  struct Impl;
  asio::io_context io_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace berth::network
