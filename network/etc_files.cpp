#include "network/etc_files.h"

#include <algorithm>
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

std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

// The search and options lines to keep with our nameservers, as Docker writes them: the
// host's, but --dns-search replaces its search/domain lines ("." for none) and --dns-option its
// options lines. With embedded DNS, "options ndots:0" ends the file unless an option sets ndots.
std::string search_and_options(const EtcInputs& in) {
  const ContainerNetworking* n = in.net;
  const bool own_search = n && !n->dns_search.empty();
  const bool own_options = n && !n->dns_options.empty();
  std::string out;
  std::istringstream host{in.host_resolv};
  for (std::string line; std::getline(host, line);) {
    const bool search = line.starts_with("search") || line.starts_with("domain");
    const bool options = line.starts_with("options");
    if ((search && !own_search) || (options && !own_options)) out += line + "\n";
  }
  if (own_search && !(n->dns_search.size() == 1 && n->dns_search[0] == "."))
    out += "search " + joined(n->dns_search) + "\n";
  if (own_options) out += "options " + joined(n->dns_options) + "\n";
  const bool ndots =
      own_options && std::any_of(n->dns_options.begin(), n->dns_options.end(),
                                 [](const std::string& o) { return o.starts_with("ndots:"); });
  if (in.dns_gateway && !ndots) out += "options ndots:0\n";
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
    return "nameserver " + to_string(*in.dns_gateway) + "\n" + search_and_options(in);
  if (in.net &&
      (!in.net->dns.empty() || !in.net->dns_search.empty() || !in.net->dns_options.empty())) {
    std::string out;
    for (const auto& d : in.net->dns) out += "nameserver " + d + "\n";
    if (in.net->dns.empty()) {
      std::istringstream host{in.host_resolv};
      for (std::string line; std::getline(host, line);)
        if (line.starts_with("nameserver")) out += line + "\n";
    }
    return out + search_and_options(in);
  }
  return in.host_resolv;
}

}  // namespace berth::network
