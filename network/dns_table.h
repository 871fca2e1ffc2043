// The DNS table: what the engine tells the DNS process about user networks and the containers
// on them. The engine derives it from container records (ARCHITECTURE.md §3: derived, never
// stored twice), writes it atomically under the network lock with write_dns_table(), then
// sends SIGHUP to the DNS process, which re-reads it (dns_server.h). Format, at
// <runroot>/dns/table.json:
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
// resolvers (ADDR, ADDR:PORT or [V6]:PORT; port 53 by default: host_info.h reads them);
// a container's "dns" (its --dns) replaces them for that container. "aliases" carry
// --network-alias and the compose service name. The server listens on every gateway.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
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
// "ADDR:PORT" or "[V6]:PORT"; parse_upstream reads it back.
std::string to_string(const DnsUpstream& u);

struct DnsNetwork {
  std::string name;
  std::optional<Ipv4Prefix> subnet;
  std::optional<Ipv4Address> gateway;
  bool internal = false;
};

struct DnsEndpoint {
  std::string network;
  std::optional<Ipv4Address> ipv4;
  std::optional<Ipv6Address> ipv6;
  std::vector<std::string> aliases;
};

struct DnsContainer {
  std::string id;
  std::string name;
  std::string hostname;
  std::vector<DnsUpstream> dns;
  std::vector<DnsEndpoint> endpoints;
};

struct DnsTable {
  std::vector<DnsUpstream> upstreams;
  std::vector<DnsNetwork> networks;
  std::vector<DnsContainer> containers;
};

// Parses the JSON form. `origin` names it in errors. Throws Error with the key path
// ("ORIGIN.containers[2].endpoints[0].ipv4: invalid IPv4 address \"x\"") on malformed JSON, a
// wrong type, a bad address, a duplicate network or an endpoint on an unknown network.
DnsTable parse_dns_table(std::string_view json, std::string_view origin);
// The JSON form; parse_dns_table reads it back.
std::string to_json(const DnsTable& table);

// <runroot>/dns/table.json.
std::filesystem::path dns_table_path(const std::filesystem::path& runroot);
// Writes the table atomically (mode 0600), creating its directory (0700). Throws Error.
void write_dns_table(const std::filesystem::path& path, const DnsTable& table);

}  // namespace berth::network
