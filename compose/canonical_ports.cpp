// Canonical ports: compose-go's ParsePortConfig / docker's nat.ParsePortSpec. A range maps
// port by port ("8000-8001:80-81" is two entries); a host range with one container port
// stays one entry whose `published` is the range. Duplicates (same ip, published, target,
// protocol) collapse to one.
#include <algorithm>
#include <cstdint>
#include <stdexcept>

#include "compose/canonical.h"
#include "compose/units.h"

namespace berth::compose {
namespace {

using schema::Mark;
using schema::Node;

struct Range {
  uint32_t start = 0, end = 0;
  bool empty() const { return start == 0 && end == 0; }
  uint32_t size() const { return end - start; }
};

Range parse_range(const std::string& s, const char* what) {
  size_t dash = s.find('-');
  try {
    Range r;
    r.start = static_cast<uint32_t>(parse_int(s.substr(0, dash)));
    r.end =
        dash == std::string::npos ? r.start : static_cast<uint32_t>(parse_int(s.substr(dash + 1)));
    if (r.start < 1 && std::string(what) == "container port") throw std::invalid_argument("");
    if (r.start > 65535 || r.end > 65535 || r.end < r.start) throw std::invalid_argument("");
    return r;
  } catch (const std::invalid_argument&) {
    throw std::invalid_argument("invalid " + std::string(what) + " \"" + s + "\"");
  }
}

bool valid_ip(const std::string& ip) {
  if (ip.find(':') != std::string::npos)
    return ip.find_first_not_of("0123456789abcdefABCDEF:.") == std::string::npos;
  int parts = 0;
  size_t start = 0;
  while (true) {
    size_t dot = ip.find('.', start);
    std::string p = ip.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (p.empty() || p.size() > 3 || p.find_first_not_of("0123456789") != std::string::npos ||
        std::stoi(p) > 255)
      return false;
    ++parts;
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return parts == 4;
}

Node entry(const Mark& m, const std::string& ip, uint32_t target, const std::string& published,
           const std::string& proto) {
  Node e = Node::map(m);
  e.set("mode", Node::str("ingress", m));
  if (!ip.empty()) e.set("host_ip", Node::str(ip, m));
  e.set("target", Node::plain(std::to_string(target), m));
  if (!published.empty()) e.set("published", Node::str(published, m));
  e.set("protocol", Node::str(proto, m));
  return e;
}

// "[ip:][host:]container[/proto]" → entries appended to out. Throws invalid_argument.
void parse_short(const std::string& spec, const Mark& m, std::vector<Node>& out) {
  std::string raw = spec, proto = "tcp";
  if (size_t slash = raw.rfind('/'); slash != std::string::npos) {
    proto = raw.substr(slash + 1);
    raw = raw.substr(0, slash);
    if (proto != "tcp" && proto != "udp" && proto != "sctp")
      throw std::invalid_argument("invalid protocol \"" + proto + "\"");
  }
  std::string ip, host, container;
  if (!raw.empty() && raw[0] == '[') {  // [ipv6]:host:container
    size_t close = raw.find(']');
    if (close == std::string::npos || close + 1 >= raw.size() || raw[close + 1] != ':')
      throw std::invalid_argument("invalid IPv6 address");
    ip = raw.substr(1, close - 1);
    raw = raw.substr(close + 2);
    size_t colon = raw.find(':');
    if (colon == std::string::npos) throw std::invalid_argument("missing container port");
    host = raw.substr(0, colon);
    container = raw.substr(colon + 1);
  } else {
    std::vector<std::string> parts;
    size_t start = 0;
    for (size_t c; (c = raw.find(':', start)) != std::string::npos; start = c + 1)
      parts.push_back(raw.substr(start, c - start));
    parts.push_back(raw.substr(start));
    size_t n = parts.size();
    container = parts[n - 1];
    if (n >= 2) host = parts[n - 2];
    for (size_t i = 0; i + 2 < n; ++i) ip += (i ? ":" : "") + parts[i];
  }
  if (!ip.empty() && !valid_ip(ip))
    throw std::invalid_argument("invalid IP address \"" + ip + "\"");
  if (container.empty()) throw std::invalid_argument("missing container port");
  Range c = parse_range(container, "container port");
  Range h = host.empty() ? Range{} : parse_range(host, "host port");
  if (!h.empty() && h.size() != c.size() && c.size() != 0)
    throw std::invalid_argument("invalid ranges specified for container and host ports");
  for (uint32_t i = 0; i <= c.size(); ++i) {
    std::string published;
    if (!h.empty())
      published = c.size() == 0 && h.size() > 0
                      ? std::to_string(h.start) + "-" + std::to_string(h.end)
                      : std::to_string(h.start + i);
    out.push_back(entry(m, ip, c.start + i, published, proto));
  }
}

void canonical_long_port(Node& p, const std::string& path) {
  const Node* target = p.find("target");
  if (!target) schema::fail_at(p.mark(), path, "port requires `target`");
  Node out = Node::map(p.mark());
  out.set("mode", p.find("mode") ? *p.find("mode") : Node::str("ingress", p.mark()));
  if (const Node* ip = p.find("host_ip")) out.set("host_ip", *ip);
  Node t = *target;
  canonical_int(t, path + ".target");
  out.set("target", t);
  if (const Node* pub = p.find("published"); pub && !pub->is_null()) {
    Node s = *pub;
    s.set_quoted(true);
    out.set("published", s);
  }
  out.set("protocol", p.find("protocol") ? *p.find("protocol") : Node::str("tcp", p.mark()));
  for (const char* k : {"name", "app_protocol"})
    if (const Node* v = p.find(k)) out.set(k, *v);
  for (const auto& e : p.entries()) {
    if (!out.find(e.key) && e.key.rfind("x-", 0) != 0 && e.key != "published")
      schema::fail_at(e.key_mark, path, "additional property \"" + e.key + "\" is not allowed");
  }
  p = std::move(out);
}

}  // namespace

void canonical_ports(Node& ports, const std::string& path) {
  std::vector<Node> out;
  for (size_t i = 0; i < ports.items().size(); ++i) {
    Node& p = ports.items()[i];
    std::string sub = schema::path_index(path, i);
    if (p.is_map()) {
      canonical_long_port(p, sub);
      out.push_back(std::move(p));
      continue;
    }
    if (!p.is_scalar()) schema::fail_at(p.mark(), sub, "must be a string, a number or a mapping");
    try {
      parse_short(p.scalar(), p.mark(), out);
    } catch (const std::invalid_argument& e) {
      schema::fail_at(p.mark(), sub, "\"" + p.scalar() + "\" is not a valid port: " + e.what());
    }
  }
  Node result = Node::seq(ports.mark());
  for (Node& n : out)
    if (std::find(result.items().begin(), result.items().end(), n) == result.items().end())
      result.push(std::move(n));
  ports = std::move(result);
}

}  // namespace berth::compose
