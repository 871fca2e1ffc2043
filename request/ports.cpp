#include "request/ports.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <charconv>
#include <stdexcept>

namespace berth::request {

namespace {

struct Range {
  uint16_t first = 0, last = 0;
  size_t size() const { return size_t{last} - first + 1; }
};

[[noreturn]] void bad(const std::string& why) {
  throw std::invalid_argument(why);
}

bool parse_port(std::string_view text, uint16_t& out) {
  unsigned v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || v == 0 || v > 65535) return false;
  out = static_cast<uint16_t>(v);
  return true;
}

// "80" or "8000-8010"; nullopt-like false for anything else.
bool parse_range(std::string_view text, Range& r) {
  size_t dash = text.find('-');
  if (dash == std::string_view::npos) {
    if (!parse_port(text, r.first)) return false;
    r.last = r.first;
    return true;
  }
  return parse_port(text.substr(0, dash), r.first) && parse_port(text.substr(dash + 1), r.last) &&
         r.first <= r.last;
}

bool valid_ip(const std::string& ip) {
  unsigned char buf[sizeof(in6_addr)];
  return ::inet_pton(AF_INET, ip.c_str(), buf) == 1 || ::inet_pton(AF_INET6, ip.c_str(), buf) == 1;
}

struct Parts {
  std::string ip, host, container, proto = "tcp";
};

// Docker's nat.ParsePortSpec split: the last ':' part is the container port, the one before
// it the host port, everything before that the address (IPv6 in brackets or bare).
Parts split(std::string_view spec) {
  Parts p;
  std::string_view rest = spec;
  if (size_t slash = rest.rfind('/'); slash != std::string_view::npos) {
    p.proto = std::string(rest.substr(slash + 1));
    rest = rest.substr(0, slash);
    if (p.proto != "tcp" && p.proto != "udp" && p.proto != "sctp") bad("invalid proto: " + p.proto);
  }
  size_t last = rest.rfind(':');
  if (last == std::string_view::npos) {
    p.container = std::string(rest);
    return p;
  }
  p.container = std::string(rest.substr(last + 1));
  std::string_view front = rest.substr(0, last);
  size_t mid = front.rfind(':');
  if (mid == std::string_view::npos) {
    p.host = std::string(front);
    return p;
  }
  p.host = std::string(front.substr(mid + 1));
  p.ip = std::string(front.substr(0, mid));
  if (p.ip.size() >= 2 && p.ip.front() == '[' && p.ip.back() == ']')
    p.ip = p.ip.substr(1, p.ip.size() - 2);
  if (!valid_ip(p.ip)) bad("invalid IP address: " + p.ip);
  return p;
}

}  // namespace

std::vector<PortBinding> parse_port_spec(std::string_view spec) {
  Parts p = split(spec);
  Range c, h;
  if (p.container.empty()) bad("no port specified: " + std::string(spec) + "<empty>");
  if (!parse_range(p.container, c)) bad("invalid containerPort: " + p.container);
  bool has_host = !p.host.empty();
  if (p.host == "0") has_host = false;  // "0:80": a port chosen at create, as "::80"
  if (has_host && !parse_range(p.host, h)) bad("invalid hostPort: " + p.host);
  if (has_host && c.size() != h.size() && c.size() != 1)
    bad("invalid ranges specified for container and host Ports: " + p.container + " and " + p.host);
  std::vector<PortBinding> out;
  for (size_t i = 0; i < c.size(); ++i) {
    PortBinding b;
    b.host_ip = p.ip;
    b.proto = p.proto;
    b.container_port = static_cast<uint16_t>(c.first + i);
    if (has_host && c.size() == 1 && h.size() > 1) {
      b.host_port = h.first;  // a pool: assign_host_ports() picks one of it
      b.host_port_end = h.last;
    } else if (has_host) {
      b.host_port = static_cast<uint16_t>(h.first + i);
    }
    out.push_back(b);
  }
  return out;
}

}  // namespace berth::request
