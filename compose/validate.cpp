// Validate phase: every key of the merged document is checked against the tables of
// schema/spec.h: unknown keys are refused with a "did you mean" suggestion, wrong types with
// the accepted ones. `x-` keys are extensions. Attributes berth cannot honour are valid compose
// (Compose accepts them): unsupported_uses() lists them for the commands that run a project.
#include <algorithm>

#include "compose/loader.h"
#include "compose/phases.h"
#include "schema/spec.h"

namespace berth::compose {
namespace {

using schema::Attr;
using schema::Node;

unsigned type_of(const Node& n) {
  switch (n.kind()) {
    case Node::Kind::Null:
      return schema::kNull;
    case Node::Kind::Sequence:
      return schema::kArray;
    case Node::Kind::Mapping:
      return schema::kMapping;
    case Node::Kind::Scalar:
      break;
  }
  if (n.is_bool()) return schema::kBool;
  if (n.is_number()) return schema::kNumber;
  return schema::kString;
}

void check_type(const Node& v, unsigned types, const std::string& path) {
  unsigned t = type_of(v);
  if (t & types) return;
  schema::fail_at(v.mark(), path,
                  "must be " + schema::describe_types(types) + ", not " +
                      (t == schema::kMapping ? std::string("a mapping")
                       : t == schema::kArray ? std::string("a list")
                                             : v.type_name()));
}

void check_mapping(const Node& m, const std::vector<Attr>& attrs, const std::string& path) {
  for (const auto& e : m.entries()) {
    if (e.key.rfind("x-", 0) == 0) continue;
    const Attr* a = schema::find_attr(attrs, e.key);
    if (!a) {
      std::string guess = schema::suggest(e.key, attrs);
      schema::fail_at(e.key_mark, path.empty() ? "(root)" : path,
                      "additional property \"" + e.key + "\" is not allowed" +
                          (guess.empty() ? "" : " (did you mean \"" + guess + "\"?)"));
    }
    // An attribute berth cannot honour is still valid compose: `config` shows it, and running
    // the project refuses it (unsupported_uses).
    if (!(type_of(e.value) & a->types))
      check_type(e.value, a->types, schema::path_join(path, e.key));
    if (a->fields && e.value.is_map())
      check_mapping(e.value, *a->fields, schema::path_join(path, e.key));
  }
}

void check_section(const Node& doc, const char* section, const std::vector<Attr>& attrs) {
  const Node* s = doc.find(section);
  if (!s || !s->is_map()) return;
  for (const auto& e : s->entries()) {
    std::string path = std::string(section) + "." + e.key;
    if (e.value.is_null()) continue;
    if (!e.value.is_map()) schema::fail_at(e.value.mark(), path, "must be a mapping");
    check_mapping(e.value, attrs, path);
  }
}

// `runtime: runc` asks for what berth is; `develop` is read by `watch` only (`up` ignores it, as
// Compose's does).
bool honoured_anyway(const std::string& key, const Node& value) {
  return (key == "runtime" && value.is_scalar() && value.scalar() == "runc") || key == "develop";
}

void collect_unsupported(const Node& m, const std::vector<Attr>& attrs, const std::string& path,
                         std::vector<std::string>& out) {
  if (!m.is_map()) return;
  for (const auto& e : m.entries()) {
    const Attr* a = e.key.rfind("x-", 0) == 0 ? nullptr : schema::find_attr(attrs, e.key);
    if (!a) continue;
    const std::string sub = schema::path_join(path, e.key);
    if (a->unsupported && !honoured_anyway(e.key, e.value)) {
      const std::string at = e.key_mark.str();
      out.push_back((at.empty() ? "" : at + ": ") + sub + ": berth does not support \"" + e.key +
                    "\": " + a->unsupported);
    } else if (a->fields) {
      collect_unsupported(e.value, *a->fields, sub, out);
    }
  }
}

void collect_section(const Node& tree, const char* section, const std::vector<Attr>& attrs,
                     std::vector<std::string>& out) {
  const Node* s = tree.find(section);
  if (!s || !s->is_map()) return;
  for (const auto& e : s->entries())
    collect_unsupported(e.value, attrs, std::string(section) + "." + e.key, out);
}

}  // namespace

std::vector<std::string> unsupported_uses(const schema::Project& project,
                                          const std::vector<std::string>& services) {
  std::vector<std::string> out;
  std::vector<Attr> top;  // the top level but for the sections walked below
  for (const Attr& a : schema::top_level_attrs())
    if (a.unsupported) top.push_back(a);
  // The top level's (`models`) count when the whole project runs; a service names what it
  // uses of them itself.
  if (services.empty()) collect_unsupported(project.tree, top, "", out);
  for (const auto& s : project.services)
    if (services.empty() || std::find(services.begin(), services.end(), s.name) != services.end())
      collect_unsupported(s.node, schema::service_attrs(), "services." + s.name, out);
  collect_section(project.tree, "secrets", schema::secret_attrs(), out);
  collect_section(project.tree, "configs", schema::config_attrs(), out);
  return out;
}

void validate_document(const Node& doc) {
  check_mapping(doc, schema::top_level_attrs(), "");
  const Node* services = doc.find("services");
  if (services && services->is_map()) {
    for (const auto& e : services->entries()) {
      std::string path = "services." + e.key;
      if (!e.value.is_map()) schema::fail_at(e.value.mark(), path, "must be a mapping");
      check_mapping(e.value, schema::service_attrs(), path);
    }
  }
  check_section(doc, "networks", schema::network_attrs());
  check_section(doc, "volumes", schema::volume_attrs());
  check_section(doc, "secrets", schema::secret_attrs());
  check_section(doc, "configs", schema::config_attrs());
}

}  // namespace berth::compose
