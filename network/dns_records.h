// The embedded DNS server's record store (ARCHITECTURE.md §5): which names each network
// knows and who may see them, indexed from a DnsTable (dns_table.h). Pure and immutable once
// built: the DNS process builds a new one on SIGHUP and swaps it in, as aardvark-dns does.
// Names are matched case-insensitively, with or without a trailing dot, and only within the
// asker's networks. A container answers to its name, hostname, 12-hex short id and aliases,
// and to NAME.NETWORK, on each network it is on.
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
#include "network/dns_table.h"

namespace berth::network {

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
  // Indexes the table. Throws Error for a duplicate network name or an endpoint on a network
  // the table does not list (parse_dns_table already refuses both, with the key path).
  explicit DnsRecords(const DnsTable& table);
  // parse_dns_table + index.
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
