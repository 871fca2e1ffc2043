// The embedded DNS server's record store (ARCHITECTURE.md §5): which names each network
// knows and who may see them. Pure and immutable once loaded: the DNS process loads a new one
// on SIGHUP and swaps it in, as aardvark-dns does. Names are matched case-insensitively, with
// or without a trailing dot, and only within the asker's networks.
//
// The table is a JSON file written by the engine (atomically, under the network lock) to
// <runroot>/dns/table.json whenever a container joins or leaves a user network, then the engine
// sends SIGHUP to the DNS process:
//
//   {
//     "upstreams": ["10.255.255.53", "127.0.0.1:5353", "[fd00::53]:53"],
//     "networks": [
//       {"name": "front", "subnet": "10.80.0.0/24", "gateway": "10.80.0.1", "internal": false}
//     ],
//     "containers": [
//       {"id": "4f2a...64 hex", "name": "proj-web-1", "hostname": "web",
//        "dns": ["1.1.1.1"],
//        "endpoints": [{"network": "front", "ipv4": "10.80.0.2", "ipv6": "fd00::2",
//                       "aliases": ["web"]}]}
//     ]
//   }
//
// Only networks with DNS go in (not the default bridge). Every key but networks[].name,
// containers[].id/name and endpoints[].network is optional. "upstreams" are the host's
// resolvers (ADDR, ADDR:PORT or [V6]:PORT; port 53 by default); a container's "dns" (its
// --dns) replaces them for that container. "aliases" carry --network-alias and the compose
// service name. A container answers to its name, hostname, 12-hex short id and aliases, and to
// NAME.NETWORK, on each network it is on.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "network/cidr.h"

namespace berth::network {

struct DnsUpstream {
  std::string address;  // IPv4 or IPv6 literal
  uint16_t port = 53;
  bool operator==(const DnsUpstream&) const = default;
};

// Parses "ADDR", "ADDR:PORT", "[V6]" or "[V6]:PORT"; a bare IPv6 literal is accepted too.
// Throws Error naming the text.
DnsUpstream parse_upstream(std::string_view text);

struct DnsNetwork {
  std::string name;
  std::optional<Ipv4Prefix> subnet;
  std::optional<Ipv4Address> gateway;
  bool internal = false;
};

// What a query may see: decided by who sent it (DnsRecords::scope_for).
struct DnsScope {
  std::vector<size_t> networks;  // indexes into DnsRecords::networks()
  bool may_forward = false;      // false when every network of the asker is internal
  std::vector<DnsUpstream> upstreams;
};

struct DnsAddresses {
  std::vector<Ipv4Address> ipv4;
  std::vector<Ipv6Address> ipv6;
};

class DnsRecords {
 public:
  DnsRecords() = default;
  // Parses a table (format above). `origin` names it in errors. Throws Error
  // ("ORIGIN: containers[2].endpoints[0].ipv4: ...") on any malformed or unknown value.
  static DnsRecords parse(std::string_view json, std::string_view origin);
  // Reads and parses the file; throws Error naming it (NotFound when it does not exist).
  static DnsRecords load(const std::filesystem::path& path);

  const std::vector<DnsNetwork>& networks() const { return networks_; }
  const std::vector<DnsUpstream>& upstreams() const { return upstreams_; }
  // Every network gateway, which is where the server listens.
  std::vector<Ipv4Address> gateways() const;

  // The asker is the container owning `source`; it sees all of its networks. An unknown
  // source (the host, a container not yet in the table) sees the network whose gateway
  // `local` is, the address the query arrived on. Neither: an empty scope that may not forward.
  // The network whose gateway is `local` comes first in DnsScope::networks.
  DnsScope scope_for(Ipv4Address source, std::optional<Ipv4Address> local) const;

  // Addresses of `name` on the first of the scope's networks where a container has that name
  // (a container on two networks asking for a third gets the addresses on the network shared,
  // preferring the one it asked on), in table order without duplicates; nullopt when none.
  std::optional<DnsAddresses> lookup(std::string_view name, const DnsScope& scope) const;

  // For a reverse name "D.C.B.A.in-addr.arpa": the name of the container with that address on
  // one of the scope's networks, or nullopt.
  std::optional<std::string> lookup_ptr(std::string_view name, const DnsScope& scope) const;
  // True when the reverse name's address lies in the subnet of one of the scope's networks:
  // an unknown address there is NXDOMAIN, not a question for the upstream resolvers.
  bool owns_reverse(std::string_view name, const DnsScope& scope) const;

 private:
  struct Endpoint {
    size_t container;
    size_t network;
    std::optional<Ipv4Address> ipv4;
    std::optional<Ipv6Address> ipv6;
  };
  struct Container {
    std::string name;
    std::vector<DnsUpstream> dns;
  };
  void add_endpoint(Endpoint e, const std::vector<std::string>& names);
  void lookup_in(std::string_view key, size_t network, DnsAddresses& out, bool& found) const;

  std::vector<DnsUpstream> upstreams_;
  std::vector<DnsNetwork> networks_;
  std::vector<Container> containers_;
  std::vector<Endpoint> endpoints_;
  // lowercase name → endpoints answering to it
  std::unordered_map<std::string, std::vector<size_t>> by_name_;
  std::unordered_map<uint32_t, size_t> by_ipv4_;  // address → endpoint
};

// Reorders the addresses so that clients spread over a scaled service's replicas.
void shuffle_addresses(DnsAddresses& addrs, std::mt19937& rng);

// "10.80.0.2" from "2.0.80.10.in-addr.arpa" (any case, optional trailing dot), else nullopt.
std::optional<Ipv4Address> parse_reverse_name(std::string_view name);

}  // namespace berth::network
