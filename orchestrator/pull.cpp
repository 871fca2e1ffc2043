#include "orchestrator/pull.h"

#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>

#include "common/error.h"
#include "engine/image/reference.h"
#include "engine/image/store.h"
#include "orchestrator/dag_runner.h"
#include "registry/pull.h"

namespace berth::orchestrator {

namespace img = berth::engine::image;
using K = schema::PullPolicy::Kind;

namespace {

// The services named (empty: all) in the project's order, with what they depend on when
// with_deps.
std::vector<const schema::Service*> selected(const schema::Project& project,
                                             const std::vector<std::string>& names,
                                             bool with_deps) {
  std::set<std::string> wanted;
  std::function<void(const std::string&)> add = [&](const std::string& name) {
    const schema::Service* s = project.find_service(name);
    if (!s) throw Error("no such service: " + name);
    if (!wanted.insert(name).second || !with_deps) return;
    for (const auto& [dep, _] : s->depends_on)
      if (project.find_service(dep)) add(dep);
  };
  for (const auto& n : names) add(n);
  std::vector<const schema::Service*> out;
  for (const auto& s : project.services)
    if (names.empty() || wanted.count(s.name)) out.push_back(&s);
  return out;
}

void emit(const PullEventFn& event, const std::string& kind, const std::string& name,
          const std::string& status) {
  if (event) event(kind, name, status);
}

// Runs task(key) for each key at once (COMPOSE_PARALLEL_LIMIT); the failures by key.
std::map<std::string, std::string> run_all(const std::vector<std::string>& keys,
                                           const std::function<void(const std::string&)>& task) {
  std::mutex mu;
  std::map<std::string, std::string> failures;
  run_dag(keys, {},
          [&](const std::string& key) {
            try {
              task(key);
            } catch (const std::exception& e) {
              std::lock_guard lock(mu);
              failures[key] = e.what();
            }
          },
          {.limit = parallel_limit_from_env()});
  return failures;
}

}  // namespace

schema::PullPolicy service_pull_policy(const schema::Service& s, const std::string& override) {
  const std::string& word = override.empty() ? s.pull_policy : override;
  try {
    return schema::parse_pull_policy(word);
  } catch (const std::invalid_argument&) {
    throw Error("service \"" + s.name + "\": invalid pull policy \"" + word + "\"");
  }
}

std::vector<std::string> services_to_pull(const Paths& paths, const schema::Project& project,
                                          const std::vector<std::string>& services,
                                          const std::string& override, bool with_deps,
                                          registry::Clock::time_point now) {
  const img::Store store(paths);
  std::vector<std::string> out;
  for (const schema::Service* s : selected(project, services, with_deps)) {
    if (s->image.empty()) continue;
    const schema::PullPolicy p = service_pull_policy(*s, override);
    bool pull = false;
    if (p.kind == K::kAlways) {
      pull = true;
    } else if (p.kind == K::kMissing && !s->build) {
      // A service that can be built is built when its image is missing: its name is often a
      // private one, not to be asked of a public registry.
      pull = !store.find(s->image);
    } else if (p.kind == K::kEvery) {
      auto local = store.find(s->image);
      auto last = local ? registry::last_pull(paths, local->manifest_digest) : std::nullopt;
      pull = !last || now - *last > p.every;
    }
    if (pull) out.push_back(s->name);
  }
  return out;
}

std::vector<std::string> services_built_by_policy(const schema::Project& project,
                                                  const std::vector<std::string>& services,
                                                  const std::string& override) {
  std::vector<std::string> out;
  for (const schema::Service* s : selected(project, services, true))
    if (s->build && service_pull_policy(*s, override).kind == K::kBuild) out.push_back(s->name);
  return out;
}

PullOutcome pull_services(const Paths& paths, const registry::RegistryContext& ctx,
                          const schema::Project& project, const std::vector<std::string>& services,
                          const PullServicesOptions& opts) {
  // Each image once, shown under the first service that uses it.
  std::vector<std::string> images;
  std::map<std::string, std::vector<const schema::Service*>> users;
  for (const auto& name : services) {
    const schema::Service* s = project.find_service(name);
    if (!s) throw Error("no such service: " + name);
    if (users[s->image].empty()) images.push_back(s->image);
    users[s->image].push_back(s);
  }
  // What each image's events name, settled before the threads start.
  std::map<std::string, std::pair<std::string, std::string>> shown;
  for (const auto& image : images)
    shown[image] = opts.image_events
                       ? std::pair<std::string, std::string>{"Image", image}
                       : std::pair<std::string, std::string>{"", users[image][0]->name};
  registry::PullOptions po;
  if (!opts.platform.empty()) po.platform = registry::parse_platform(opts.platform);
  auto failures = run_all(images, [&](const std::string& image) {
    const auto& [kind, name] = shown.at(image);
    emit(opts.event, kind, name, "Pulling");
    try {
      img::Store store(paths);
      registry::pull_image(store, ctx, img::parse_reference(image), po);
    } catch (const std::exception&) {
      emit(opts.event, kind, name, "Error");
      throw;
    }
    emit(opts.event, kind, name, "Pulled");
  });
  PullOutcome out;
  std::string errors;
  for (const auto& image : images) {
    auto f = failures.find(image);
    if (f == failures.end()) continue;
    for (const schema::Service* s : users[image]) {
      if (s->build)
        out.must_build.push_back(s->name);
      else if (opts.ignore_failures)
        out.ignored.push_back(s->name + ": " + f->second);
      else
        errors += (errors.empty() ? "" : "\n") + s->name + ": " + f->second;
    }
  }
  if (!errors.empty()) throw Error(errors);
  return out;
}

PullOutcome compose_pull(const Paths& paths, const registry::RegistryContext& ctx,
                         const schema::Project& project, const ComposePullOptions& opts) {
  const img::Store store(paths);
  std::vector<std::string> pull;
  for (const schema::Service* s : selected(project, opts.services, opts.include_deps)) {
    bool skip = s->image.empty() || (s->build && opts.ignore_buildable);
    if (!skip) {
      const std::string& word = opts.policy.empty() ? s->pull_policy : opts.policy;
      const K kind = service_pull_policy(*s, opts.policy).kind;
      skip = kind == K::kNever || kind == K::kBuild ||
             ((word == "missing" || word == "if_not_present") && store.find(s->image));
    }
    if (skip)
      emit(opts.pull.event, "", s->name, "Skipped");
    else
      pull.push_back(s->name);
  }
  return pull_services(paths, ctx, project, pull, opts.pull);
}

std::vector<std::string> compose_push(const Paths& paths, const registry::RegistryContext& ctx,
                                      const schema::Project& project,
                                      const ComposePushOptions& opts) {
  std::vector<std::string> tags;
  std::map<std::string, std::string> service_of;
  for (const schema::Service* s : selected(project, opts.services, false)) {
    if (!s->build || s->image.empty()) {
      emit(opts.event, "", s->name, "Skipped");
      continue;
    }
    std::vector<std::string> names{s->image};
    names.insert(names.end(), s->build->tags.begin(), s->build->tags.end());
    for (const auto& t : names)
      if (service_of.emplace(t, s->name).second) tags.push_back(t);
  }
  auto failures = run_all(tags, [&](const std::string& tag) {
    const std::string& name = service_of.at(tag);
    emit(opts.event, "", name, "Pushing");
    try {
      img::Store store(paths);
      registry::push_image(store, ctx, img::parse_reference(tag));
    } catch (const std::exception&) {
      emit(opts.event, "", name, "Error");
      throw;
    }
    emit(opts.event, "", name, "Pushed");
  });
  std::vector<std::string> errors;
  for (const auto& t : tags)
    if (auto f = failures.find(t); f != failures.end())
      errors.push_back(service_of[t] + ": push " + t + ": " + f->second);
  if (opts.ignore_failures) return errors;
  std::string all;
  for (const auto& e : errors) all += (all.empty() ? "" : "\n") + e;
  if (!all.empty()) throw Error(all);
  return {};
}

}  // namespace berth::orchestrator
