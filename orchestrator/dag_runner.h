// Runs one task per node of a DAG, each as soon as the nodes it comes after have finished,
// several at once on threads (bounded, as COMPOSE_PARALLEL_LIMIT bounds Compose). `up` runs
// services after their dependencies; `down` after their dependents.
#pragma once

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace berth::orchestrator {

struct DagOptions {
  int limit = 0;  // tasks at once; <= 0: no bound
  // false (up): a node whose predecessor failed is not run. true (down, best effort): it is.
  bool run_after_failure = false;
};

// Runs task(node) for every node in `order`; `after` maps a node to the nodes it waits for
// (nodes outside `order` are ignored). Returns the failures, "node: message", in the order
// they happened; a node skipped after a failure is not listed. Never throws for a task.
std::vector<std::string> run_dag(const std::vector<std::string>& order,
                                 const std::map<std::string, std::set<std::string>>& after,
                                 const std::function<void(const std::string&)>& task,
                                 const DagOptions& opts);

// COMPOSE_PARALLEL_LIMIT from the environment, 0 when unset or not a positive number.
int parallel_limit_from_env();

}  // namespace berth::orchestrator
