// The service graph (see graph.h).
#include "compose/graph.h"

#include <algorithm>
#include <functional>
#include <queue>
#include <unordered_set>

namespace berth::compose {
namespace {

using schema::Node;

// Returns the cycle "a -> b -> a" if one exists.
std::vector<std::string> find_cycle(const std::map<std::string, std::set<std::string>>& deps) {
  std::map<std::string, int> color;  // 0 white, 1 on stack, 2 done
  std::vector<std::string> stack;
  std::vector<std::string> cycle;
  std::function<bool(const std::string&)> visit = [&](const std::string& n) {
    color[n] = 1;
    stack.push_back(n);
    auto it = deps.find(n);
    if (it != deps.end()) {
      for (const auto& d : it->second) {
        if (color[d] == 1) {
          auto start = std::find(stack.begin(), stack.end(), d);
          cycle.assign(start, stack.end());
          cycle.push_back(d);
          return true;
        }
        if (color[d] == 0 && visit(d)) return true;
      }
    }
    stack.pop_back();
    color[n] = 2;
    return false;
  };
  for (const auto& [n, _] : deps)
    if (color[n] == 0 && visit(n)) return cycle;
  return {};
}

std::string join_cycle(const std::vector<std::string>& c) {
  std::string s;
  for (size_t i = 0; i < c.size(); ++i) s += (i ? " -> " : "") + c[i];
  return s;
}

std::string service_ref(const std::string& v) {
  return v.rfind("service:", 0) == 0 ? v.substr(8) : "";
}

std::map<std::string, std::set<std::string>> edges_of(const Node& services) {
  std::map<std::string, std::set<std::string>> deps;
  std::unordered_set<std::string> names;
  for (const auto& e : services.entries()) names.insert(e.key);
  for (const auto& e : services.entries()) {
    auto& d = deps[e.key];
    const Node& s = e.value;
    auto add = [&](const std::string& t) {
      if (!t.empty() && names.count(t)) d.insert(t);
    };
    if (const Node* n = s.find("depends_on"))
      for (const auto& x : n->entries()) add(x.key);
    if (const Node* n = s.find("links"))
      for (const Node& l : n->items()) add(l.scalar().substr(0, l.scalar().find(':')));
    if (const Node* n = s.find("volumes_from"))
      for (const Node& v : n->items())
        if (v.scalar().rfind("container:", 0) != 0)
          add(service_ref(v.scalar()).empty() ? v.scalar().substr(0, v.scalar().find(':'))
                                              : service_ref(v.scalar()));
    for (const char* k : {"network_mode", "ipc", "pid"})
      if (const Node* n = s.find(k); n && n->is_scalar()) add(service_ref(n->scalar()));
  }
  return deps;
}

}  // namespace

ServiceGraph::ServiceGraph(std::map<std::string, std::set<std::string>> deps)
    : deps_(std::move(deps)) {
  for (auto& [n, ds] : deps_)
    for (const auto& d : ds) deps_[d];  // every node present
  auto cycle = find_cycle(deps_);
  if (!cycle.empty()) throw schema::ComposeError("dependency cycle detected: " + join_cycle(cycle));
}

const std::set<std::string>& ServiceGraph::dependencies(const std::string& service) const {
  static const std::set<std::string> kNone;
  auto it = deps_.find(service);
  return it == deps_.end() ? kNone : it->second;
}

std::set<std::string> ServiceGraph::dependents(const std::string& service) const {
  std::set<std::string> out;
  for (const auto& [n, ds] : deps_)
    if (ds.count(service)) out.insert(n);
  return out;
}

std::vector<std::string> ServiceGraph::start_order() const {
  std::map<std::string, size_t> pending;
  std::priority_queue<std::string, std::vector<std::string>, std::greater<>> ready;
  for (const auto& [n, ds] : deps_) {
    pending[n] = ds.size();
    if (ds.empty()) ready.push(n);
  }
  std::map<std::string, std::vector<std::string>> rev;
  for (const auto& [n, ds] : deps_)
    for (const auto& d : ds) rev[d].push_back(n);
  std::vector<std::string> order;
  while (!ready.empty()) {
    std::string n = ready.top();
    ready.pop();
    order.push_back(n);
    for (const auto& m : rev[n])
      if (--pending[m] == 0) ready.push(m);
  }
  return order;
}

ServiceGraph service_graph(const schema::Project& project) {
  Node services = Node::map();
  for (const auto& s : project.services) services.set(s.name, s.node);
  return ServiceGraph(edges_of(services));
}

void check_service_graph(const Node& doc) {
  const Node* services = doc.find("services");
  if (!services) return;
  auto cycle = find_cycle(edges_of(*services));
  if (cycle.empty()) return;
  const Node* first = services->find(cycle[0]);
  schema::fail_at(first->mark(), "services." + cycle[0],
                  "dependency cycle detected: " + join_cycle(cycle));
}

}  // namespace berth::compose
