#include "network/host_info.h"

#include <arpa/inet.h>

#include <charconv>

#include "common/atomic_file.h"

namespace berth::network {

namespace {

constexpr unsigned kRtfUp = 0x0001;  // RTF_UP from <linux/route.h>

bool parse_hex(std::string_view s, uint32_t& out) {
  if (s.empty() || s.size() > 8) return false;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out, 16);
  return ec == std::errc{} && end == s.data() + s.size();
}

// The kernel prints a __be32 as an integer with %08X, so the value read back is the address's
// bytes in memory order: ntohl turns it into host order on any endianness.
Ipv4Address from_kernel_hex(uint32_t v) {
  return Ipv4Address{ntohl(v)};
}

// A netmask is contiguous ones; anything else is not a prefix we can use.
bool mask_length(uint32_t mask, int& length) {
  length = 0;
  while (length < 32 && (mask & (uint32_t{1} << (31 - length)))) ++length;
  return length == 32 || (mask << length) == 0;
}

std::vector<std::string_view> fields_of(std::string_view line) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> out;
  while (!text.empty()) {
    auto nl = text.find('\n');
    out.push_back(text.substr(0, nl));
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return out;
}

}  // namespace

std::vector<HostRoute> parse_proc_net_route(std::string_view text) {
  std::vector<HostRoute> routes;
  auto lines = lines_of(text);
  for (size_t i = 1; i < lines.size(); ++i) {  // line 0 is the header
    auto f = fields_of(lines[i]);
    uint32_t dest = 0, gw = 0, flags = 0, mask = 0;
    int length = 0;
    if (f.size() < 8 || !parse_hex(f[1], dest) || !parse_hex(f[2], gw) || !parse_hex(f[3], flags) ||
        !parse_hex(f[7], mask) || !mask_length(ntohl(mask), length) || !(flags & kRtfUp))
      continue;
    routes.push_back(
        {std::string(f[0]), prefix_of(from_kernel_hex(dest), length), from_kernel_hex(gw)});
  }
  return routes;
}

std::vector<std::string> parse_resolv_conf_nameservers(std::string_view text) {
  std::vector<std::string> out;
  for (auto line : lines_of(text)) {
    auto f = fields_of(line);
    if (f.size() < 2 || f[0] != "nameserver") continue;
    std::string addr(f[1]);
    std::string bare = addr.substr(0, addr.find('%'));
    if (parse_ipv4(bare) || parse_ipv6(bare)) out.push_back(addr);
  }
  return out;
}

std::vector<DnsUpstream> read_host_upstreams(const std::filesystem::path& resolv_conf) {
  std::vector<DnsUpstream> out;
  auto text = read_file_if_exists(resolv_conf);
  if (!text) return out;
  for (const auto& ns : parse_resolv_conf_nameservers(*text)) {
    if (ns.find('%') != std::string::npos) continue;
    out.push_back(DnsUpstream{ns, 53});
  }
  return out;
}

SubnetConstraints read_host_constraints(const std::filesystem::path& route_file,
                                        const std::filesystem::path& resolv_conf) {
  SubnetConstraints c;
  if (auto text = read_file_if_exists(route_file)) {
    for (const auto& r : parse_proc_net_route(*text)) {
      c.host_routes.push_back(r.destination);
      if (r.gateway.value != 0) c.host_addresses.push_back(r.gateway);
    }
  }
  if (auto text = read_file_if_exists(resolv_conf)) {
    for (const auto& ns : parse_resolv_conf_nameservers(*text)) {
      if (auto a = parse_ipv4(ns)) c.host_addresses.push_back(*a);
    }
  }
  return c;
}

}  // namespace berth::network
