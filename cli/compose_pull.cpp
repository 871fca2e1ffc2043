// `compose pull [SERVICE...]` and `compose push [SERVICE...]`, and the pulls `up`, `create`
// and `run` make first (pull_policy, --pull): orchestrator/pull.h does the work, several
// images at once; the lines are Compose's (` ✔ web Pulled`; plain: ` web Pulling`).
#include <cstdio>
#include <memory>

#include "cli/compose_cmds.h"
#include "cli/registry_context.h"
#include "common/error.h"
#include "orchestrator/pull.h"

namespace berth::cli {

namespace orch = berth::orchestrator;

namespace {

orch::PullEventFn events_to(format::ProgressView& view) {
  return [&view](const std::string& kind, const std::string& name, const std::string& status) {
    view.event(kind, name, status);
  };
}

// The display of the pulls or pushes: nothing when quiet.
format::ProgressView view_for(bool quiet, const std::string& title) {
  if (quiet) return format::ProgressView(stderr, format::ProgressView::Mode::kQuiet);
  return progress_view(title);
}

void warn_must_build(const std::vector<std::string>& services) {
  if (services.empty()) return;
  std::string names;
  for (const auto& s : services) names += " " + s;
  std::fprintf(stderr,
               "WARNING: Some service image(s) must be built from source by running:\n"
               "    berth compose build%s\n",
               names.c_str());
}

struct ComposePullFlags {
  orch::ComposePullOptions opts;
  bool quiet = false;
};

void run_compose_pull(Globals& g, ComposePullFlags& f) {
  if (!f.opts.policy.empty() && f.opts.policy != "missing" && f.opts.policy != "always")
    throw Error("invalid --policy option \"" + f.opts.policy + "\": expected missing or always");
  const schema::Project project = load_compose_project(f.opts.services);
  g.paths.ensure();
  orch::PullOutcome out;
  {
    auto view = view_for(f.quiet, "Pulling");
    f.opts.pull.event = events_to(view);
    out = orch::compose_pull(g.paths, registry_context(g), project, f.opts);
  }
  for (const auto& e : out.ignored) std::fprintf(stderr, "WARNING: %s\n", e.c_str());
  warn_must_build(out.must_build);
}

void add_compose_pull(CLI::App& group, Globals& g) {
  auto f = std::make_shared<ComposePullFlags>();
  auto* cmd = group.add_subcommand("pull", "Pull service images");
  cmd->add_option("service", f->opts.services, "Services to pull");
  cmd->add_flag("--ignore-pull-failures", f->opts.pull.ignore_failures,
                "Pull what it can and ignores images with pull failures");
  cmd->add_flag("--include-deps", f->opts.include_deps,
                "Also pull services declared as dependencies");
  cmd->add_flag("--ignore-buildable", f->opts.ignore_buildable, "Ignore images that can be built");
  cmd->add_option("--policy", f->opts.policy, "Apply pull policy (\"missing\"|\"always\")");
  cmd->add_flag("-q,--quiet", f->quiet, "Pull without printing progress information");
  cmd->callback([f, &g] { run_compose_pull(g, *f); });
}

struct ComposePushFlags {
  orch::ComposePushOptions opts;
  bool quiet = false;
};

void run_compose_push(Globals& g, ComposePushFlags& f) {
  const schema::Project project = load_compose_project(f.opts.services);
  g.paths.ensure();
  std::vector<std::string> ignored;
  {
    auto view = view_for(f.quiet, "Pushing");
    f.opts.event = events_to(view);
    ignored = orch::compose_push(g.paths, registry_context(g), project, f.opts);
  }
  for (const auto& e : ignored) std::fprintf(stderr, "WARNING: %s\n", e.c_str());
}

void add_compose_push(CLI::App& group, Globals& g) {
  auto f = std::make_shared<ComposePushFlags>();
  auto* cmd = group.add_subcommand("push", "Push service images");
  cmd->add_option("service", f->opts.services, "Services to push");
  cmd->add_flag("--ignore-push-failures", f->opts.ignore_failures,
                "Push what it can and ignores images with push failures");
  cmd->add_flag("-q,--quiet", f->quiet, "Push without printing progress information");
  cmd->callback([f, &g] { run_compose_push(g, *f); });
}

void register_compose_pull(CLI::App& app, Globals& g) {
  add_compose_pull(compose_group(app), g);
  add_compose_push(compose_group(app), g);
}

}  // namespace

std::vector<std::string> pull_for_up(Globals& g, const schema::Project& project,
                                     const std::vector<std::string>& services,
                                     const std::string& policy, bool quiet, bool with_deps) {
  const auto wanted = orch::services_to_pull(g.paths, project, services, policy, with_deps);
  if (wanted.empty()) return {};
  orch::PullOutcome out;
  {
    auto view = view_for(quiet, "Pulling");
    orch::PullServicesOptions opts;
    opts.image_events = true;
    opts.event = events_to(view);
    out = orch::pull_services(g.paths, registry_context(g), project, wanted, opts);
  }
  return out.must_build;
}

BERTH_COMMANDS(register_compose_pull);

}  // namespace berth::cli
