// Profiles phase: a service with `profiles` is enabled only when one of them is active
// (--profile, COMPOSE_PROFILES; "*" enables all) or when it is named on the command line
// (then only it and its dependencies are enabled). Disabled services leave the document; an enabled
// service that requires a disabled one is an error that says so.
#include <algorithm>
#include <set>

#include "compose/phases.h"

namespace berth::compose {
namespace {

using schema::Node;

bool active(const Node& svc, const std::set<std::string>& profiles) {
  const Node* p = svc.find("profiles");
  if (!p || !p->is_seq() || p->items().empty()) return true;
  if (profiles.count("*")) return true;
  return std::any_of(p->items().begin(), p->items().end(),
                     [&](const Node& i) { return profiles.count(i.scalar()) > 0; });
}

// depends_on targets (short or long form), with whether each is required.
std::vector<std::pair<std::string, bool>> dependencies(const Node& svc) {
  std::vector<std::pair<std::string, bool>> out;
  const Node* d = svc.find("depends_on");
  if (!d) return out;
  if (d->is_seq())
    for (const Node& i : d->items()) out.emplace_back(i.scalar(), true);
  if (d->is_map()) {
    for (const auto& e : d->entries()) {
      const Node* r = e.value.is_map() ? e.value.find("required") : nullptr;
      out.emplace_back(e.key, !(r && r->is_scalar() && (r->scalar() == "false")));
    }
  }
  return out;
}

}  // namespace

std::vector<std::string> apply_profiles(Node& doc, const std::vector<std::string>& profile_list,
                                        const std::vector<std::string>& named) {
  Node* services = doc.find("services");
  if (!services || !services->is_map()) return {};
  std::set<std::string> profiles(profile_list.begin(), profile_list.end());
  // Services named on the command line select themselves and their dependencies only
  // (compose-go's ForServices); otherwise every service whose profiles are active.
  std::set<std::string> enabled;
  if (named.empty())
    for (const auto& e : services->entries())
      if (active(e.value, profiles)) enabled.insert(e.key);
  std::vector<std::string> todo(named.begin(), named.end());
  while (!todo.empty()) {
    std::string name = todo.back();
    todo.pop_back();
    const Node* svc = services->find(name);
    if (!svc) throw schema::ComposeError("no such service: " + name);
    if (!enabled.insert(name).second && std::find(named.begin(), named.end(), name) == named.end())
      continue;
    for (auto& [dep, required] : dependencies(*svc))
      if (services->find(dep) && !enabled.count(dep)) todo.push_back(dep);
  }
  for (const auto& e : services->entries()) {
    if (!enabled.count(e.key)) continue;
    for (auto& [dep, required] : dependencies(e.value)) {
      if (!required || enabled.count(dep) || !services->find(dep)) continue;
      schema::fail_at(e.value.mark(), "services." + e.key + ".depends_on",
                      "service \"" + dep + "\" was pulled in as a dependency of service \"" +
                          e.key +
                          "\" but is not enabled by the active profiles. You may fix "
                          "this by adding a common profile to \"" +
                          dep + "\" and \"" + e.key + "\"");
    }
  }
  std::vector<std::string> disabled;
  auto& es = services->entries();
  for (const auto& e : es)
    if (!enabled.count(e.key)) disabled.push_back(e.key);
  es.erase(std::remove_if(es.begin(), es.end(),
                          [&](const Node::Entry& e) { return !enabled.count(e.key); }),
           es.end());
  std::sort(disabled.begin(), disabled.end());
  return disabled;
}

}  // namespace berth::compose
