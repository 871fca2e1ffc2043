// Canonical phase driver: runs the per-attribute canonicalisers over every service and
// normalises the top-level networks, volumes, secrets and configs. Also the small typed
// canonicalisers (int, bool, duration, bytes, dict, string list) the others share.
#include "compose/canonical.h"

#include <stdexcept>

#include "compose/merge.h"
#include "compose/units.h"

namespace berth::compose {
namespace {

using schema::Node;

void canonical_external(Node& res, const std::string& path) {
  Node* ext = res.find("external");
  if (!ext) return;
  if (ext->is_map()) {  // legacy `external: {name: x}`
    const Node* name = ext->find("name");
    Node legacy_name = name ? *name : Node();
    *ext = Node::plain("true", ext->mark());
    if (name) res.set("name", std::move(legacy_name));
    ext = res.find("external");
  }
  canonical_bool(*ext, path + ".external");
}

void canonical_resource(Node& res, const std::string& path) {
  canonical_external(res, path);
  if (Node* l = res.find("labels")) canonical_dict(*l, path + ".labels");
  if (Node* d = res.find("driver_opts"); d && d->is_map())
    for (auto& e : d->entries())
      if (e.value.is_scalar()) e.value.set_quoted(true);
  for (const char* b : {"internal", "attachable", "enable_ipv6", "enable_ipv4"})
    if (Node* n = res.find(b)) canonical_bool(*n, path + "." + b);
}

void canonical_section(Node& doc, const char* section) {
  Node* s = doc.find(section);
  if (!s) return;
  if (s->is_null()) {
    *s = Node::map(s->mark());
    return;
  }
  for (auto& e : s->entries()) {
    if (e.value.is_null()) e.value = Node::map(e.value.mark());
    canonical_resource(e.value, std::string(section) + "." + e.key);
  }
}

}  // namespace

void canonical_int(Node& n, const std::string& path) {
  if (!n.is_scalar()) schema::fail_at(n.mark(), path, "must be an integer");
  try {
    n = Node::plain(std::to_string(parse_int(n.scalar())), n.mark());
  } catch (const std::invalid_argument&) {
    schema::fail_at(n.mark(), path, "\"" + n.scalar() + "\" is not an integer");
  }
}

void canonical_bool(Node& n, const std::string& path) {
  if (!n.is_scalar()) schema::fail_at(n.mark(), path, "must be a boolean");
  try {
    n = Node::plain(parse_bool(n.scalar()) ? "true" : "false", n.mark());
  } catch (const std::invalid_argument&) {
    schema::fail_at(n.mark(), path, "\"" + n.scalar() + "\" is not a boolean");
  }
}

void canonical_duration(Node& n, const std::string& path) {
  if (!n.is_scalar()) schema::fail_at(n.mark(), path, "must be a duration");
  try {
    n = Node::str(format_duration(parse_duration(n.scalar())), n.mark());
  } catch (const std::invalid_argument& e) {
    schema::fail_at(n.mark(), path, "\"" + n.scalar() + "\" is not a valid duration: " + e.what());
  }
}

void canonical_bytes(Node& n, const std::string& path) {
  if (!n.is_scalar()) schema::fail_at(n.mark(), path, "must be a byte size");
  if (n.scalar() == "-1") return;  // memswap_limit: unlimited
  try {
    n = Node::str(std::to_string(parse_bytes(n.scalar())), n.mark());
  } catch (const std::invalid_argument& e) {
    schema::fail_at(n.mark(), path, "\"" + n.scalar() + "\" is not a valid byte size: " + e.what());
  }
}

void canonical_dict(Node& n, const std::string& path, char sep) {
  if (n.is_null()) {
    n = Node::map(n.mark());
    return;
  }
  n = list_or_dict_to_map(n, sep);
  if (!n.is_map()) schema::fail_at(n.mark(), path, "must be a list or a mapping");
  for (auto& e : n.entries()) {
    if (e.key.empty()) schema::fail_at(e.value.mark(), path, "entries must be strings");
    if (e.value.is_scalar()) {
      e.value.set_quoted(true);
    } else if (!e.value.is_null()) {
      schema::fail_at(e.value.mark(), schema::path_join(path, e.key),
                      "must be a string, number, boolean or null");
    }
  }
}

void canonical_string_list(Node& n, const std::string& path) {
  if (n.is_scalar()) {
    Node l = Node::seq(n.mark());
    l.push(n);
    n = std::move(l);
  }
  if (!n.is_seq()) schema::fail_at(n.mark(), path, "must be a string or a list of strings");
  for (size_t i = 0; i < n.items().size(); ++i) {
    Node& s = n.items()[i];
    if (!s.is_scalar()) schema::fail_at(s.mark(), schema::path_index(path, i), "must be a string");
    s.set_quoted(true);
  }
}

void canonicalize(Node& doc, const std::string&, const LoadContext& ctx) {
  doc.erase("version");  // obsolete; `docker compose config` drops it too
  if (Node* services = doc.find("services")) {
    if (services->is_null()) *services = Node::map(services->mark());
    for (auto& e : services->entries()) canonical_service(e.value, "services." + e.key, ctx);
  }
  for (const char* section : {"networks", "volumes", "secrets", "configs"})
    canonical_section(doc, section);
}

}  // namespace berth::compose
