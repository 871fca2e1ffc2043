// Validate phase: every key of the merged document is checked against the tables of
// schema/spec.h: unknown keys are refused with a "did you mean" suggestion, unsupported
// attributes with the reason, wrong types with the accepted ones. `x-` keys are extensions.
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
    if (a->unsupported)
      schema::fail_at(e.key_mark, schema::path_join(path, e.key),
                      "berth does not support \"" + e.key + "\": " + a->unsupported);
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

}  // namespace

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
