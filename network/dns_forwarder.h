// Forwarding of names berth does not know to the host's resolvers (ARCHITECTURE.md §5),
// asynchronously on the DNS server's io_context: each upstream in turn gets the query, over
// the client's transport, with a deadline; the first valid answer goes back to the client.
// A fresh socket (random source port) and a random query id per attempt, a connected UDP
// socket (the kernel drops datagrams from anyone else) and an id + question check keep
// spoofed answers out.
#pragma once

#include <asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <random>
#include <vector>

#include "network/dns_message.h"
#include "network/dns_records.h"
#include "network/dns_responder.h"

namespace berth::network {

class DnsForwarder {
 public:
  // Called once, on the io_context thread: the upstream's answer with the client's id
  // restored, or nullopt when every upstream failed or timed out.
  using Callback = std::function<void(std::optional<std::vector<uint8_t>>)>;

  DnsForwarder(asio::io_context& io, std::chrono::milliseconds timeout, size_t max_in_flight);

  // Starts forwarding `packet` (the client's query, parsed as `query`). Returns false, without
  // calling cb, when max_in_flight exchanges are already running: the caller answers SERVFAIL.
  bool forward(std::vector<uint8_t> packet, const dns::Query& query,
               std::vector<DnsUpstream> upstreams, DnsTransport transport, Callback cb);

  size_t in_flight() const { return *in_flight_; }

 private:
  asio::io_context& io_;
  std::chrono::milliseconds timeout_;
  size_t max_in_flight_;
  std::shared_ptr<size_t> in_flight_ = std::make_shared<size_t>(0);
  std::mt19937 rng_{std::random_device{}()};
};

}  // namespace berth::network
