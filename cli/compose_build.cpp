// `compose build [SERVICE...]`, and the builds `up` runs first: services with a `build:`
// section through orchestrator/build.h. `up` builds a service whose image is missing, whose
// pull_policy is build or whose pull failed, or every such service with --build; --no-build
// never builds.
#include <signal.h>

#include <memory>
#include <set>

#include "builder/build_args.h"
#include "cli/compose_cmds.h"
#include "common/error.h"
#include "common/signal_fd.h"
#include "orchestrator/build.h"
#include "orchestrator/pull.h"

namespace berth::cli {

namespace orch = berth::orchestrator;

namespace {

struct ComposeBuildFlags {
  std::vector<std::string> services, build_args;
  bool no_cache = false, pull = false, quiet = false;
};

void run_service_builds(Globals& g, const schema::Project& project,
                        const std::vector<std::string>& services,
                        const orch::BuildServicesOptions& opts) {
  if (services.empty()) return;
  g.paths.ensure();
  SignalFd signals({SIGINT, SIGTERM, SIGHUP});
  builder::Cancel cancel;
  cancel.signal_fd = signals.fd();
  orch::build_services(g.paths, project, services, opts, cancel);
}

void run_compose_build(Globals& g, const ComposeBuildFlags& f) {
  const schema::Project project = load_compose_project(f.services);
  orch::BuildServicesOptions opts;
  opts.no_cache = f.no_cache;
  opts.quiet = f.quiet;
  opts.build_args = builder::parse_build_arg_flags(f.build_args);
  run_service_builds(g, project, orch::services_with_build(project, f.services), opts);
}

void register_compose_build(CLI::App& app, Globals& g) {
  auto f = std::make_shared<ComposeBuildFlags>();
  auto* cmd = compose_group(app).add_subcommand("build", "Build or rebuild services");
  cmd->add_option("service", f->services, "Services to build");
  cmd->add_flag("--no-cache", f->no_cache, "Do not use cache when building the image");
  cmd->add_flag("--pull", f->pull, "Always attempt to pull a newer version of the image");
  cmd->add_flag("-q,--quiet", f->quiet, "Don't print anything to STDOUT");
  cmd->add_option("--build-arg", f->build_args, "Set build-time variables for services");
  cmd->callback([f, &g] { run_compose_build(g, *f); });
}

}  // namespace

void build_for_up(Globals& g, const schema::Project& project,
                  const std::vector<std::string>& services, bool always,
                  const std::string& pull_policy, const std::vector<std::string>& also) {
  auto wanted = orch::services_with_build(project, services);
  if (!always) {
    std::set<std::string> chosen;
    for (const auto& s : orch::services_missing_image(g.paths, project, wanted)) chosen.insert(s);
    for (const auto& s : orch::services_built_by_policy(project, services, pull_policy))
      chosen.insert(s);
    chosen.insert(also.begin(), also.end());
    std::erase_if(wanted, [&](const std::string& s) { return !chosen.count(s); });
  }
  run_service_builds(g, project, wanted, {});
}

BERTH_COMMANDS(register_compose_build);

}  // namespace berth::cli
