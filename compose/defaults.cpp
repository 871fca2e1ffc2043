// Defaults phase: a service with neither `networks` nor `network_mode` joins `default`; the
// `default` network exists when used; every network, volume, secret and config gets its
// engine-level `name` (`<project>_<key>`, or the key itself when external); the document
// starts with the project `name`.
#include "compose/phases.h"

namespace berth::compose {
namespace {

using schema::Node;

bool uses_default_network(const Node& services) {
  for (const auto& e : services.entries()) {
    const Node* n = e.value.find("networks");
    if (n && n->is_map() && n->find("default")) return true;
  }
  return false;
}

void name_resources(Node& doc, const char* section, const std::string& project) {
  Node* s = doc.find(section);
  if (!s || !s->is_map()) return;
  for (auto& e : s->entries()) {
    if (!e.value.is_map()) e.value = Node::map(e.value.mark());
    if (e.value.find("name")) continue;
    const Node* ext = e.value.find("external");
    bool external = ext && ext->is_scalar() && ext->scalar() == "true";
    e.value.set("name", Node::str(external ? e.key : project + "_" + e.key, e.value.mark()));
  }
}

}  // namespace

void apply_defaults(Node& doc, const std::string& project) {
  Node* services = doc.find("services");
  if (!services) services = &doc.set("services", Node::map(doc.mark()));
  for (auto& e : services->entries()) {
    if (e.value.find("network_mode") || e.value.find("networks")) continue;
    Node nets = Node::map(e.value.mark());
    nets.set("default", Node::null(e.value.mark()));
    e.value.set("networks", std::move(nets));
  }
  if (uses_default_network(*services)) {
    Node* nets = doc.find("networks");
    if (!nets || !nets->is_map()) nets = &doc.set("networks", Node::map(doc.mark()));
    if (!nets->find("default")) nets->set("default", Node::map(doc.mark()));
  }
  for (const char* section : {"networks", "volumes", "secrets", "configs"})
    name_resources(doc, section, project);
  doc.set("name", Node::str(project, doc.mark()));
}

}  // namespace berth::compose
