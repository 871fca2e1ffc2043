#include "network/etc_files.h"

#include <sstream>

namespace berth::network {

namespace {

constexpr const char* kLocalHosts =
    "127.0.0.1\tlocalhost\n"
    "::1\tlocalhost ip6-localhost ip6-loopback\n"
    "fe00::0\tip6-localnet\n"
    "ff00::0\tip6-mcastprefix\n"
    "ff02::1\tip6-allnodes\n"
    "ff02::2\tip6-allrouters\n";

// The host's resolv.conf lines other than nameservers (search, options), to keep with ours.
std::string non_nameserver_lines(std::string_view text) {
  std::string out;
  std::istringstream in{std::string(text)};
  for (std::string line; std::getline(in, line);)
    if (line.starts_with("search") || line.starts_with("domain") || line.starts_with("options"))
      out += line + "\n";
  return out;
}

}  // namespace

std::string make_hosts(const EtcInputs& in) {
  if (in.net && in.net->is_host() && !in.host_hosts.empty()) return in.host_hosts;
  std::string out = kLocalHosts;
  if (in.net)
    for (const auto& spec : in.net->extra_hosts) {
      auto [host, ip] = parse_extra_host(spec);
      out += ip + "\t" + host + "\n";
    }
  for (const auto& a : in.addresses) out += to_string(a) + "\t" + in.hostname + "\n";
  return out;
}

std::string make_resolv_conf(const EtcInputs& in) {
  if (in.dns_gateway)
    return "nameserver " + to_string(*in.dns_gateway) + "\n" +
           non_nameserver_lines(in.host_resolv) + "options ndots:0\n";
  if (in.net && !in.net->dns.empty()) {
    std::string out;
    for (const auto& d : in.net->dns) out += "nameserver " + d + "\n";
    return out + non_nameserver_lines(in.host_resolv);
  }
  return in.host_resolv;
}

}  // namespace berth::network
