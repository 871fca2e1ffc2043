// References phase: everything a service names must exist: networks, named volumes,
// secrets, configs, and the services of depends_on, links, volumes_from and
// `network_mode`/`ipc`/`pid: service:X`. `network_mode` and `networks` exclude each other.
#include <map>
#include <unordered_set>

#include "compose/phases.h"

namespace berth::compose {
namespace {

using schema::Node;

// The keys of each top-level section, for constant-time lookups on large projects.
using Index = std::map<std::string, std::unordered_set<std::string>, std::less<>>;

Index index_of(const Node& doc) {
  Index idx;
  for (const char* section : {"services", "networks", "volumes", "secrets", "configs"}) {
    auto& keys = idx[section];
    if (const Node* s = doc.find(section); s && s->is_map())
      for (const auto& e : s->entries()) keys.insert(e.key);
  }
  return idx;
}

bool defined(const Index& idx, const char* section, const std::string& key) {
  auto it = idx.find(section);
  return it != idx.end() && it->second.count(key) > 0;
}

void require(const Index& doc, const char* section, const std::string& key, const Node& at,
             const std::string& path, const std::string& service, const char* what) {
  if (!defined(doc, section, key))
    schema::fail_at(at.mark(), path,
                    "service \"" + service + "\" refers to undefined " + what + " \"" + key + "\"");
}

// "service:X" → X, else "".
std::string service_ref(const Node* n) {
  if (!n || !n->is_scalar() || n->scalar().rfind("service:", 0) != 0) return "";
  return n->scalar().substr(8);
}

void check_service(const Index& doc, const std::string& name, const Node& svc) {
  std::string path = "services." + name;
  if (svc.find("network_mode") && svc.find("networks"))
    schema::fail_at(
        svc.find("network_mode")->mark(), path,
        "service \"" + name + "\" declares mutually exclusive `network_mode` and `networks`");
  if (const Node* nets = svc.find("networks"))
    for (const auto& e : nets->entries())
      require(doc, "networks", e.key, e.value, path + ".networks", name, "network");
  if (const Node* vols = svc.find("volumes")) {
    for (size_t i = 0; i < vols->items().size(); ++i) {
      const Node& v = vols->items()[i];
      const Node* src = v.find("source");
      const Node* type = v.find("type");
      if (type && type->scalar() == "volume" && src && !src->scalar().empty())
        require(doc, "volumes", src->scalar(), *src, schema::path_index(path + ".volumes", i), name,
                "volume");
    }
  }
  for (const char* kind : {"secrets", "configs"}) {
    const Node* refs = svc.find(kind);
    if (!refs) continue;
    for (size_t i = 0; i < refs->items().size(); ++i) {
      const Node* src = refs->items()[i].find("source");
      if (!src) continue;  // left as written (--no-interpolate)
      std::string what = std::string(kind).substr(0, std::string(kind).size() - 1);
      require(doc, kind, src->scalar(), *src, schema::path_index(path + "." + kind, i), name,
              what.c_str());
    }
  }
  auto need_service = [&](const std::string& target, const Node& at, const std::string& p) {
    if (!defined(doc, "services", target))
      schema::fail_at(at.mark(), p,
                      "service \"" + name + "\" depends on undefined service \"" + target + "\"");
  };
  if (const Node* deps = svc.find("depends_on"))
    for (const auto& e : deps->entries()) {
      const Node* req = e.value.find("required");
      if (req && req->scalar() == "false") continue;
      need_service(e.key, e.value, path + ".depends_on");
    }
  if (const Node* links = svc.find("links"))
    for (const Node& l : links->items())
      need_service(l.scalar().substr(0, l.scalar().find(':')), l, path + ".links");
  if (const Node* vf = svc.find("volumes_from"))
    for (const Node& v : vf->items()) {
      const std::string& s = v.scalar();
      if (s.rfind("container:", 0) == 0) continue;
      std::string target = s.rfind("service:", 0) == 0 ? s.substr(8) : s.substr(0, s.find(':'));
      need_service(target, v, path + ".volumes_from");
    }
  for (const char* k : {"network_mode", "ipc", "pid"}) {
    std::string target = service_ref(svc.find(k));
    if (!target.empty()) need_service(target, *svc.find(k), path + "." + k);
  }
}

}  // namespace

void check_references(const Node& doc) {
  const Node* services = doc.find("services");
  if (!services) return;
  Index idx = index_of(doc);
  for (const auto& e : services->entries()) check_service(idx, e.key, e.value);
}

}  // namespace berth::compose
