#include "network/port_spec.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <charconv>
#include <fstream>

#include "common/error.h"

namespace berth::network {

namespace {

bool wildcard(const std::string& ip) {
  return ip.empty() || ip == "0.0.0.0" || ip == "::";
}

}  // namespace

std::vector<PortBinding> publish_all(const nlohmann::json& exposed_ports,
                                     const std::vector<PortBinding>& explicit_ports) {
  std::vector<PortBinding> out;
  if (!exposed_ports.is_object()) return out;
  for (const auto& [key, value] : exposed_ports.items()) {
    (void)value;
    std::vector<PortBinding> parsed;
    try {
      parsed = request::parse_port_spec(key);
    } catch (const std::invalid_argument&) {
      throw Error("image ExposedPorts: invalid port \"" + key + "\"", 125);
    }
    for (const auto& b : parsed) {
      bool published = false;
      for (const auto& e : explicit_ports)
        published |= e.container_port == b.container_port && e.proto == b.proto;
      if (!published) out.push_back(b);
    }
  }
  return out;
}

bool same_host_socket(const PortBinding& a, const PortBinding& b) {
  if (a.proto != b.proto || a.host_port != b.host_port || a.host_port == 0) return false;
  if (a.host_ip == b.host_ip || wildcard(a.host_ip) || wildcard(b.host_ip)) {
    // "0.0.0.0" and "" are IPv4 only; they do not take an IPv6-only address's socket.
    bool a6 = a.host_ip.find(':') != std::string::npos;
    bool b6 = b.host_ip.find(':') != std::string::npos;
    if (a.host_ip == "::" || b.host_ip == "::" || a6 == b6) return true;
  }
  return false;
}

const PortBinding* find_conflict(const std::vector<PortBinding>& mine,
                                 const std::vector<PortBinding>& taken) {
  for (const auto& m : mine)
    for (const auto& t : taken)
      if (same_host_socket(m, t)) return &m;
  return nullptr;
}

std::string conflict_message(const PortBinding& b) {
  std::string ip = b.host_ip.empty() ? "0.0.0.0" : b.host_ip;
  if (ip.find(':') != std::string::npos) ip = "[" + ip + "]";
  return "Bind for " + ip + ":" + std::to_string(b.host_port) +
         " failed: port is already allocated";
}

void assign_host_ports(std::vector<PortBinding>& bindings, const std::vector<PortBinding>& taken,
                       std::pair<uint16_t, uint16_t> range, const PortProbe& probe, uint32_t seed) {
  std::vector<PortBinding> busy = taken;
  for (const auto& b : bindings)
    if (b.host_port != 0 && b.host_port_end == 0) busy.push_back(b);
  for (auto& b : bindings) {
    if (b.host_port != 0 && b.host_port_end == 0) continue;
    uint32_t first = b.host_port_end ? b.host_port : range.first;
    uint32_t last = b.host_port_end ? b.host_port_end : range.second;
    uint32_t span = last - first + 1;
    bool found = false;
    for (uint32_t i = 0; i < span && !found; ++i) {
      PortBinding candidate = b;
      candidate.host_port = static_cast<uint16_t>(first + (seed + i) % span);
      candidate.host_port_end = 0;
      bool free = true;
      for (const auto& t : busy) free &= !same_host_socket(candidate, t);
      if (!free || (probe && !probe(candidate))) continue;
      candidate.host_port_chosen = true;
      b = candidate;
      busy.push_back(b);
      found = true;
    }
    if (!found)
      throw Error("no free host port in " + std::to_string(first) + "-" + std::to_string(last) +
                      " for " + std::to_string(b.container_port) + "/" + b.proto,
                  125);
  }
}

std::pair<uint16_t, uint16_t> ephemeral_port_range() {
  std::ifstream in("/proc/sys/net/ipv4/ip_local_port_range");
  unsigned lo = 0, hi = 0;
  if (in >> lo >> hi && lo > 0 && lo <= hi && hi <= 65535)
    return {static_cast<uint16_t>(lo), static_cast<uint16_t>(hi)};
  return {32768, 60999};
}

bool probe_host_port(const PortBinding& b) {
  bool v6 = b.host_ip.find(':') != std::string::npos;
  int type = b.proto == "udp" ? SOCK_DGRAM : SOCK_STREAM;
  int proto = b.proto == "sctp" ? IPPROTO_SCTP : 0;
  int fd = ::socket(v6 ? AF_INET6 : AF_INET, type | SOCK_CLOEXEC, proto);
  if (fd < 0) return true;  // no such protocol here: nothing can hold the port either
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  int rc;
  if (v6) {
    sockaddr_in6 a{};
    a.sin6_family = AF_INET6;
    a.sin6_port = htons(b.host_port);
    ::inet_pton(AF_INET6, b.host_ip.c_str(), &a.sin6_addr);
    rc = ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  } else {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(b.host_port);
    if (!b.host_ip.empty()) ::inet_pton(AF_INET, b.host_ip.c_str(), &a.sin_addr);
    rc = ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  }
  // A listening TCP socket on the port refuses the bind even with SO_REUSEADDR; a bound-only
  // UDP socket does too. EADDRNOTAVAIL (an address the host does not have) is refused too.
  ::close(fd);
  return rc == 0;
}

nlohmann::json to_json(const std::vector<PortBinding>& bindings) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& b : bindings)
    out.push_back({{"host_ip", b.host_ip},
                   {"host_port", b.host_port},
                   {"container_port", b.container_port},
                   {"proto", b.proto},
                   {"host_port_chosen", b.host_port_chosen}});
  return out;
}

std::vector<PortBinding> bindings_from_json(const nlohmann::json& j) {
  std::vector<PortBinding> out;
  if (!j.is_array()) return out;
  for (const auto& e : j) {
    if (!e.is_object()) continue;
    PortBinding b;
    b.host_ip = e.value("host_ip", "");
    b.host_port = e.value("host_port", uint16_t{0});
    b.container_port = e.value("container_port", uint16_t{0});
    b.proto = e.value("proto", "tcp");
    b.host_port_chosen = e.value("host_port_chosen", false);
    out.push_back(b);
  }
  return out;
}

std::vector<PortBinding> published_ports(const nlohmann::json& extensions) {
  auto it = extensions.find("ports");
  return it == extensions.end() ? std::vector<PortBinding>{} : bindings_from_json(*it);
}

}  // namespace berth::network
