#include "cli/format/ports.h"

#include <charconv>

#include "common/error.h"
#include "engine/lifecycle/container_ports.h"

namespace berth::cli::format {

using engine::lifecycle::port_endpoint;
using engine::lifecycle::port_key;
using engine::lifecycle::sorted_ports;
using network::PortBinding;

std::string ports_text(const std::vector<PortBinding>& b, bool running) {
  if (!running) return "";
  std::string out;
  auto s = sorted_ports(b);
  for (size_t i = 0; i < s.size();) {
    // Docker folds consecutive host and container ports of one address and protocol.
    size_t j = i;
    while (j + 1 < s.size() && s[j + 1].proto == s[i].proto && s[j + 1].host_ip == s[i].host_ip &&
           s[j + 1].container_port == s[j].container_port + 1 &&
           s[j + 1].host_port == s[j].host_port + 1)
      ++j;
    std::string host = port_endpoint(s[i]);
    std::string ctr = std::to_string(s[i].container_port);
    if (j > i) {
      host += "-" + std::to_string(s[j].host_port);
      ctr += "-" + std::to_string(s[j].container_port);
    }
    out += (out.empty() ? "" : ", ") + host + "->" + ctr + "/" + s[i].proto;
    i = j + 1;
  }
  return out;
}

std::vector<std::string> port_lines(const std::vector<PortBinding>& b, const std::string& filter,
                                    const std::string& name) {
  std::vector<std::string> out;
  if (filter.empty()) {
    for (const auto& p : sorted_ports(b)) out.push_back(port_key(p) + " -> " + port_endpoint(p));
    return out;
  }
  std::string port = filter, proto = "tcp";
  if (size_t slash = filter.find('/'); slash != std::string::npos) {
    port = filter.substr(0, slash);
    proto = filter.substr(slash + 1);
  }
  unsigned n = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), n);
  if (ec != std::errc() || end != port.data() + port.size() || n == 0 || n > 65535 ||
      (proto != "tcp" && proto != "udp" && proto != "sctp"))
    throw Error("Invalid port: " + filter, 125);
  for (const auto& p : sorted_ports(b))
    if (p.container_port == n && p.proto == proto) out.push_back(port_endpoint(p));
  if (out.empty())
    throw Error("No public port '" + std::to_string(n) + "/" + proto + "' published for " + name);
  return out;
}

}  // namespace berth::cli::format
