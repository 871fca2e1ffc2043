// Canonical ports: compose-go's ParsePortConfig, over the short-syntax parser `-p` uses
// (docker's nat.ParsePortSpec, request/ports.h). A range maps
// port by port ("8000-8001:80-81" is two entries); a host range with one container port
// stays one entry whose `published` is the range. Duplicates (same ip, published, target,
// protocol) collapse to one.
#include <algorithm>
#include <cstdint>
#include <stdexcept>

#include "compose/canonical.h"
#include "compose/units.h"
#include "request/ports.h"

namespace berth::compose {
namespace {

using schema::Mark;
using schema::Node;

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

// "[ip:][host:]container[/proto]" (request/ports.h, the parser `-p` uses) → entries appended
// to out. Throws invalid_argument.
void parse_short(const std::string& spec, const Mark& m, std::vector<Node>& out) {
  for (const request::PortBinding& b : request::parse_port_spec(spec)) {
    std::string published;
    if (b.host_port_end != 0)
      published = std::to_string(b.host_port) + "-" + std::to_string(b.host_port_end);
    else if (b.host_port != 0)
      published = std::to_string(b.host_port);
    out.push_back(entry(m, b.host_ip, b.container_port, published, b.proto));
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
