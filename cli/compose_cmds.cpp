// `berth compose`: the command group and its global flags (see compose_cmds.h).
#include "cli/compose_cmds.h"

#include "common/heap.h"
#include "compose/loader.h"
#include "orchestrator/dag_runner.h"

namespace berth::cli {

compose::ProjectOptions& compose_options() {
  static compose::ProjectOptions opts;
  return opts;
}

namespace {
std::string& progress_flag() {
  static std::string progress;
  return progress;
}
}  // namespace

format::ProgressView progress_view(const std::string& title) {
  return format::ProgressView(stderr, format::ProgressView::mode_from(progress_flag(), stderr),
                              title);
}

orchestrator::ConvergeOptions converge_options(int timeout_s, format::ProgressView& view) {
  orchestrator::ConvergeOptions o;
  o.parallel_limit = orchestrator::parallel_limit_from_env();
  o.timeout_s = timeout_s;
  o.progress = [&view](const orchestrator::Event& e) { view.event(e.kind, e.name, e.status); };
  return o;
}

CLI::App& compose_group(CLI::App& app) {
  static CLI::App* group = nullptr;
  if (group) return *group;
  group = app.add_subcommand("compose", "Define and run multi-container applications");
  group->require_subcommand(1);
  auto& o = compose_options();
  group->add_option("-f,--file", o.files, "Compose configuration files");
  group->add_option("-p,--project-name", o.name, "Project name");
  group->add_option("--project-directory", o.project_directory,
                    "Alternate working directory (default: the first compose file's directory)");
  group->add_option("--env-file", o.env_files, "Alternate environment files");
  group->add_option("--profile", o.profiles, "Profiles to enable");
  group->add_option("--progress", progress_flag(),
                    "Set type of progress output (auto, tty, plain, quiet)");
  return *group;
}

schema::Project load_compose_project(const std::vector<std::string>& services, bool interpolate) {
  compose::ProjectOptions o = compose_options();
  o.services = services;
  o.interpolate = interpolate;
  reserve_heap(64u << 20);  // the loader allocates tens of thousands of small nodes
  return compose::load_project(o);
}

namespace {
void register_compose(CLI::App& app, Globals&) {
  compose_group(app);
}
}  // namespace
BERTH_COMMANDS(register_compose);

}  // namespace berth::cli
