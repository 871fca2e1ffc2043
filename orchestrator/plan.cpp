#include "orchestrator/plan.h"

#include <algorithm>

#include "common/error.h"
#include "compose/graph.h"
#include "compose/render.h"
#include "orchestrator/labels.h"

namespace berth::orchestrator {

const char* action_name(ActionKind k) {
  switch (k) {
    case ActionKind::kCreateNetwork:
      return "create network";
    case ActionKind::kCreateVolume:
      return "create volume";
    case ActionKind::kCreateContainer:
      return "create";
    case ActionKind::kRecreateContainer:
      return "recreate";
    case ActionKind::kStartContainer:
      return "start";
    case ActionKind::kKeepContainer:
      return "keep";
    case ActionKind::kStopContainer:
      return "stop";
    case ActionKind::kRestartContainer:
      return "restart";
    case ActionKind::kRemoveContainer:
      return "remove";
    case ActionKind::kRemoveNetwork:
      return "remove network";
    case ActionKind::kRemoveVolume:
      return "remove volume";
  }
  return "?";
}

namespace {

// The services to bring up: those named and, transitively (unless no_deps), what they
// depend on.
std::set<std::string> selected_services(const schema::Project& project,
                                        const compose::ServiceGraph& graph,
                                        const std::vector<std::string>& named, bool no_deps) {
  std::set<std::string> out;
  if (named.empty()) {
    for (const auto& s : project.services) out.insert(s.name);
    return out;
  }
  std::vector<std::string> todo;
  for (const auto& n : named) {
    if (!project.find_service(n)) throw Error("no such service: " + n);
    todo.push_back(n);
  }
  while (!todo.empty()) {
    std::string s = todo.back();
    todo.pop_back();
    if (!out.insert(s).second || no_deps) continue;
    for (const auto& d : graph.dependencies(s))
      if (project.find_service(d)) todo.push_back(d);
  }
  return out;
}

// A service of the project, enabled or left out by profiles (then not an orphan).
bool known_service(const schema::Project& project, const std::string& name) {
  return project.find_service(name) ||
         std::find(project.disabled_services.begin(), project.disabled_services.end(), name) !=
             project.disabled_services.end();
}

void check_runnable(const schema::Service& s) {
  if (s.image.empty() && !s.build)
    throw Error("service \"" + s.name +
                "\" has neither an image nor a build context specified: invalid compose project");
}

void plan_networks(const schema::Project& project, const schema::Service& s,
                   const CurrentState& current, std::set<std::string>& seen, Plan& plan) {
  for (const auto& [key, _] : s.networks) {
    auto it = project.networks.find(key);
    if (it == project.networks.end() || !seen.insert(key).second) continue;
    const auto& n = it->second;
    const bool exists = current.networks.count(n.name) > 0;
    if (n.external) {
      if (!exists)
        throw Error("network " + n.name + " declared as external, but could not be found");
      continue;
    }
    if (!exists)
      plan.resources.push_back(
          {.kind = ActionKind::kCreateNetwork, .name = n.name, .key = key, .reason = "missing"});
  }
}

void plan_volumes(const schema::Project& project, const schema::Service& s,
                  const CurrentState& current, std::set<std::string>& seen, Plan& plan) {
  for (const auto& v : s.volumes) {
    if (v.type != "volume" || v.source.empty()) continue;
    auto it = project.volumes.find(v.source);
    if (it == project.volumes.end() || !seen.insert(v.source).second) continue;
    const auto& vol = it->second;
    const bool exists = current.volumes.count(vol.name) > 0;
    if (vol.external) {
      if (!exists) throw Error("external volume \"" + vol.name + "\" not found");
      continue;
    }
    if (!exists)
      plan.resources.push_back({.kind = ActionKind::kCreateVolume,
                                .name = vol.name,
                                .key = v.source,
                                .reason = "missing"});
  }
}

// The containers of one service: numbers 1..scale kept, started, recreated or created; any
// other (a higher number, a duplicate) removed.
std::vector<Action> plan_service(const schema::Project& project, const schema::Service& s,
                                 const CurrentState& current, const UpOptions& opts) {
  const std::string hash = compose::service_config_hash(s);
  const auto image = current.images.find(schema::service_image(project, s));
  const std::string image_id = image == current.images.end() ? "" : image->second;
  const int scale = std::max(s.scale, 0);
  if (scale > 1 && !s.container_name.empty())
    throw Error("services.scale: can't set container_name and " + s.name +
                " as container name must be unique");
  std::vector<const ObservedContainer*> mine;
  for (const auto& c : current.containers)
    if (c.service == s.name && !c.oneoff) mine.push_back(&c);
  // Of two containers with one number (a recreate cut short leaves the new one under a
  // temporary name), the one with the proper name is kept.
  std::sort(mine.begin(), mine.end(), [&](auto* a, auto* b) {
    const bool a_named = a->name == container_name(project, s, a->number);
    const bool b_named = b->name == container_name(project, s, b->number);
    return a->number != b->number ? a->number < b->number : a_named > b_named;
  });
  std::vector<Action> out;
  std::set<int> kept;
  for (const auto* c : mine) {
    Action a{.kind = ActionKind::kKeepContainer,
             .name = c->name,
             .service = s.name,
             .number = c->number,
             .container_id = c->id,
             .config_hash = hash};
    if (c->number < 1 || c->number > scale || !kept.insert(c->number).second) {
      a.kind = ActionKind::kRemoveContainer;
      a.reason = "beyond scale " + std::to_string(scale);
    } else if (opts.force_recreate || (c->config_hash != hash && !opts.no_recreate)) {
      a.kind = ActionKind::kRecreateContainer;
      a.name = container_name(project, s, c->number);
      a.reason = opts.force_recreate ? "--force-recreate" : "config hash changed";
    } else if (!image_id.empty() && c->image_id != image_id && !opts.no_recreate) {
      // Compose's rule: a container of an older image (rebuilt, retagged) is recreated.
      a.kind = ActionKind::kRecreateContainer;
      a.name = container_name(project, s, c->number);
      a.reason = "image changed";
    } else if (c->name != container_name(project, s, c->number) && !opts.no_recreate) {
      // Left under its temporary name by a recreate cut short.
      a.kind = ActionKind::kRecreateContainer;
      a.name = container_name(project, s, c->number);
      a.reason = "named " + c->name;
    } else if (!c->running) {
      a.kind = ActionKind::kStartContainer;
      a.reason = "not running";
    } else {
      a.reason = "up to date";
    }
    out.push_back(std::move(a));
  }
  for (int n = 1; n <= scale; ++n)
    if (!kept.count(n))
      out.push_back({.kind = ActionKind::kCreateContainer,
                     .name = container_name(project, s, n),
                     .service = s.name,
                     .number = n,
                     .config_hash = hash,
                     .reason = "missing"});
  return out;
}

// `depends_on: {db: {restart: true}}`: when db is recreated, the service's running
// containers that would be kept are restarted after it.
void restart_for_dependencies(const schema::Service& s, Plan& plan) {
  for (const auto& [dep, d] : s.depends_on) {
    auto it = plan.containers.find(dep);
    if (!d.restart || it == plan.containers.end()) continue;
    const bool recreated = std::any_of(it->second.begin(), it->second.end(), [](const Action& a) {
      return a.kind == ActionKind::kRecreateContainer;
    });
    if (!recreated) continue;
    for (auto& a : plan.containers[s.name]) {
      if (a.kind != ActionKind::kKeepContainer) continue;
      a.kind = ActionKind::kRestartContainer;
      a.reason = "dependency " + dep + " recreated";
    }
  }
}

}  // namespace

Plan plan_up(const schema::Project& project, const CurrentState& current, const UpOptions& opts) {
  const auto graph = compose::service_graph(project);
  const auto selected = selected_services(project, graph, opts.services, opts.no_deps);
  Plan plan;
  std::set<std::string> networks_seen, volumes_seen;
  for (const auto& name : graph.start_order()) {
    if (!selected.count(name)) continue;
    const schema::Service& s = *project.find_service(name);
    check_runnable(s);
    plan_networks(project, s, current, networks_seen, plan);
    plan_volumes(project, s, current, volumes_seen, plan);
    plan.containers[name] = plan_service(project, s, current, opts);
    restart_for_dependencies(s, plan);
    plan.order.push_back(name);
    auto& after = plan.after[name];
    for (const auto& d : graph.dependencies(name))
      if (selected.count(d)) after.insert(d);
  }
  for (const auto& c : current.containers)
    if (!c.oneoff && !known_service(project, c.service)) plan.orphans.push_back(c);
  if (opts.remove_orphans) {
    for (const auto& c : plan.orphans) {
      plan.containers[c.service].push_back({.kind = ActionKind::kRemoveContainer,
                                            .name = c.name,
                                            .service = c.service,
                                            .number = c.number,
                                            .container_id = c.id,
                                            .reason = "orphan"});
      if (std::find(plan.order.begin(), plan.order.end(), c.service) == plan.order.end())
        plan.order.push_back(c.service);
    }
  }
  return plan;
}

namespace {

// Puts by_service's actions into plan, dependents first (the reverse of the start order),
// services outside the graph (orphans) at once.
void order_dependents_first(const compose::ServiceGraph& graph,
                            std::map<std::string, std::vector<Action>> by_service, Plan& plan) {
  auto order = graph.start_order();
  std::reverse(order.begin(), order.end());
  for (const auto& [service, _] : by_service)
    if (std::find(order.begin(), order.end(), service) == order.end()) order.push_back(service);
  for (const auto& name : order) {
    auto it = by_service.find(name);
    if (it == by_service.end() || it->second.empty()) continue;
    plan.containers[name] = std::move(it->second);
    plan.order.push_back(name);
  }
  for (const auto& name : plan.order) {
    auto& after = plan.after[name];
    for (const auto& d : graph.dependents(name))
      if (plan.containers.count(d)) after.insert(d);
  }
}

Action container_action(ActionKind kind, const ObservedContainer& c, const char* reason) {
  return {.kind = kind,
          .name = c.name,
          .service = c.service,
          .number = c.number,
          .container_id = c.id,
          .reason = reason};
}

// The services named (all when none), each checked to exist.
std::set<std::string> named_services(const schema::Project& project,
                                     const std::vector<std::string>& names) {
  std::set<std::string> out;
  for (const auto& n : names) {
    if (!project.find_service(n)) throw Error("no such service: " + n);
    out.insert(n);
  }
  return out;
}

}  // namespace

Plan plan_down(const schema::Project& project, const CurrentState& current,
               const DownOptions& opts) {
  const auto graph = compose::service_graph(project);
  Plan plan;
  std::map<std::string, std::vector<Action>> by_service;
  for (const auto& c : current.containers) {
    const bool orphan = !known_service(project, c.service);
    if (orphan && !c.oneoff) plan.orphans.push_back(c);
    if (orphan && !opts.remove_orphans) continue;
    by_service[c.service].push_back(
        container_action(ActionKind::kRemoveContainer, c, orphan ? "orphan" : "down"));
  }
  order_dependents_first(graph, std::move(by_service), plan);
  for (const auto& [key, n] : project.networks) {
    auto it = current.networks.find(n.name);
    if (n.external || it == current.networks.end() || it->second != project.name) continue;
    plan.resources.push_back(
        {.kind = ActionKind::kRemoveNetwork, .name = n.name, .key = key, .reason = "down"});
  }
  if (opts.volumes) {
    for (const auto& [key, v] : project.volumes) {
      auto it = current.volumes.find(v.name);
      if (v.external || it == current.volumes.end() || it->second != project.name) continue;
      plan.resources.push_back(
          {.kind = ActionKind::kRemoveVolume, .name = v.name, .key = key, .reason = "down -v"});
    }
  }
  return plan;
}

Plan plan_stop(const schema::Project& project, const CurrentState& current,
               const std::vector<std::string>& services) {
  const auto graph = compose::service_graph(project);
  const auto named = named_services(project, services);
  std::map<std::string, std::vector<Action>> by_service;
  for (const auto& c : current.containers)
    if (c.running && !c.oneoff && (named.empty() || named.count(c.service)))
      by_service[c.service].push_back(container_action(ActionKind::kStopContainer, c, "stop"));
  Plan plan;
  order_dependents_first(graph, std::move(by_service), plan);
  return plan;
}

Plan plan_rm(const schema::Project& project, const CurrentState& current,
             const std::vector<std::string>& services, bool stopped_too) {
  const auto graph = compose::service_graph(project);
  const auto named = named_services(project, services);
  std::map<std::string, std::vector<Action>> by_service;
  for (const auto& c : current.containers)
    if ((!c.running || stopped_too) && !c.oneoff && (named.empty() || named.count(c.service)))
      by_service[c.service].push_back(container_action(ActionKind::kRemoveContainer, c, "rm"));
  Plan plan;
  order_dependents_first(graph, std::move(by_service), plan);
  return plan;
}

namespace {

// One `kind` action for each container of the named services that `wanted` picks,
// dependencies first.
template <typename Pick>
Plan plan_in_start_order(const schema::Project& project, const CurrentState& current,
                         const std::vector<std::string>& services, ActionKind kind,
                         const char* reason, Pick wanted) {
  const auto graph = compose::service_graph(project);
  const auto named = named_services(project, services);
  Plan plan;
  for (const auto& name : graph.start_order()) {
    if (!named.empty() && !named.count(name)) continue;
    std::vector<Action> actions;
    for (const auto& c : current.containers)
      if (c.service == name && !c.oneoff && wanted(c))
        actions.push_back(container_action(kind, c, reason));
    if (actions.empty()) continue;
    plan.containers[name] = std::move(actions);
    plan.order.push_back(name);
  }
  for (const auto& name : plan.order) {
    auto& after = plan.after[name];
    for (const auto& d : graph.dependencies(name))
      if (plan.containers.count(d)) after.insert(d);
  }
  return plan;
}

}  // namespace

Plan plan_start(const schema::Project& project, const CurrentState& current,
                const std::vector<std::string>& services) {
  return plan_in_start_order(project, current, services, ActionKind::kStartContainer, "start",
                             [](const ObservedContainer& c) { return !c.running; });
}

Plan plan_restart(const schema::Project& project, const CurrentState& current,
                  const std::vector<std::string>& services) {
  return plan_in_start_order(project, current, services, ActionKind::kRestartContainer, "restart",
                             [](const ObservedContainer&) { return true; });
}

}  // namespace berth::orchestrator
