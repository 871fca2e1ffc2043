// What the host's network looks like, read as data for IPAM and DNS forwarding: the IPv4
// routing table from /proc/net/route (proc(5)) and the nameservers in /etc/resolv.conf
// (resolv.conf(5)). Parsers take text so they are unit-tested on samples; readers take paths
// so tests can point them anywhere.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "network/cidr.h"
#include "network/dns_table.h"
#include "network/ipam.h"

namespace berth::network {

struct HostRoute {
  std::string interface;
  Ipv4Prefix destination;
  Ipv4Address gateway;  // 0.0.0.0 when the route is direct
};

// Parses /proc/net/route: a header line, then one whitespace-separated line per route whose
// Destination, Gateway and Mask are the kernel's __be32 printed as %08X. Routes without
// RTF_UP are skipped, as are malformed lines (the file format is the kernel's, not the user's).
std::vector<HostRoute> parse_proc_net_route(std::string_view text);

// The `nameserver` entries of a resolv.conf, in order, as written (IPv4 or IPv6; an IPv6
// zone "%eth0" is kept). Comments (# or ;) and other options are skipped; entries that are not
// addresses are dropped.
std::vector<std::string> parse_resolv_conf_nameservers(std::string_view text);

// The host's resolvers as the DNS server's upstreams (DnsTable::upstreams), port 53, in
// resolv.conf order. Link-local IPv6 entries with a zone ("fe80::1%eth0") are skipped: an
// upstream is an address alone. A loopback resolver (127.0.0.53 of systemd-resolved) is kept:
// the DNS process runs on the host, where it is reachable. A missing file yields none.
std::vector<DnsUpstream> read_host_upstreams(
    const std::filesystem::path& resolv_conf = "/etc/resolv.conf");

// Reads both files and returns what allocate_subnet must avoid on this host: every route's
// prefix, and every route gateway and IPv4 nameserver as an address. A missing file yields
// nothing from it; other read errors throw Error naming the file. `networks` is left empty.
SubnetConstraints read_host_constraints(
    const std::filesystem::path& route_file = "/proc/net/route",
    const std::filesystem::path& resolv_conf = "/etc/resolv.conf");

}  // namespace berth::network
