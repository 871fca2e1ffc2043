// The service graph: service → the services it needs started first (depends_on, links,
// volumes_from, and `network_mode`/`ipc`/`pid: service:X`). Must be a DAG: a cycle is an
// error naming the services in it. The loader checks it; the orchestrator uses it for
// start order (dependencies first) and stop order (dependents first).
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "schema/model.h"
#include "schema/node.h"

namespace berth::compose {

class ServiceGraph {
 public:
  // Edges name → dependencies. Throws schema::ComposeError on a cycle.
  explicit ServiceGraph(std::map<std::string, std::set<std::string>> deps);

  const std::set<std::string>& dependencies(const std::string& service) const;
  std::set<std::string> dependents(const std::string& service) const;
  // Every service, each after all of its dependencies; ties broken by name.
  std::vector<std::string> start_order() const;

 private:
  std::map<std::string, std::set<std::string>> deps_;
};

// The graph of a typed project (enabled services only).
ServiceGraph service_graph(const schema::Project& project);

// Loader phase: builds the graph of the canonical document; a cycle is reported at the
// first service of the cycle (`file:line:col: services.a: dependency cycle: a -> b -> a`).
void check_service_graph(const schema::Node& doc);

}  // namespace berth::compose
