// `berth compose exec` and `compose run`, as Docker Compose v2 does them. exec runs a command
// in a service's running container through the engine's exec (what `berth exec` runs); run
// makes a one-off container of the service (Compose's `<project>-<service>-run-<12 hex>` name,
// com.docker.compose.oneoff=True and a slug label, no published ports unless asked), brings its
// dependencies up first through the orchestrator, and starts it attached as `berth run` does.
#include <unistd.h>

#include <algorithm>
#include <iostream>
#include <memory>

#include "cli/compose_cmds.h"
#include "cli/compose_targets.h"
#include "cli/container_commands.h"
#include "cli/request/run_flags.h"
#include "common/error.h"
#include "common/random_id.h"
#include "compose/render.h"
#include "compose/service_request.h"
#include "compose/units.h"
#include "engine/lifecycle/container_create.h"
#include "engine/lifecycle/container_exec.h"
#include "engine/lifecycle/container_start.h"
#include "orchestrator/converge.h"
#include "orchestrator/dag_runner.h"
#include "orchestrator/labels.h"
#include "orchestrator/observe.h"
#include "request/env.h"
#include "request/supervision.h"

namespace berth::cli {
namespace {

namespace lc = engine::lifecycle;
namespace orch = orchestrator;

constexpr const char* kSlugLabel = "com.docker.compose.slug";

// Compose's default for -T: a TTY when its output is a terminal.
bool output_is_terminal() {
  return ::isatty(STDOUT_FILENO) == 1;
}

struct ComposeExecFlags {
  bool detach = false, no_tty = false, privileged = false, interactive = true, tty = true;
  std::vector<std::string> env;
  std::string user, workdir;
  int index = 0;
  CLI::Option *user_opt = nullptr, *workdir_opt = nullptr;
};

void run_compose_exec(Globals& g, CLI::App* cmd, const ComposeExecFlags& f) {
  const auto rest = cmd->remaining();
  if (rest.size() < 2)
    throw Error("\"exec\" requires at least 2 arguments.\nSee 'berth compose exec --help'.");
  const std::string project = load_compose_project().name;
  const auto target = specified_container(orch::observe(g.paths, project), OneOff::kInclude, false,
                                          rest[0], f.index);
  lc::ExecOptions o;
  o.argv.assign(rest.begin() + 1, rest.end());
  o.env = resolve_env({}, f.env);
  if (f.user_opt->count()) o.user = f.user;
  if (f.workdir_opt->count()) o.workdir = f.workdir;
  o.tty = !f.no_tty;
  o.interactive = f.interactive && !f.detach;
  o.detach = f.detach;
  o.privileged = f.privileged;
  g.exit_code = lc::exec_container(g.paths, target.id, o);
}

void add_compose_exec(CLI::App& group, Globals& g) {
  auto f = std::make_shared<ComposeExecFlags>();
  auto* cmd = group.add_subcommand("exec", "Execute a command in a running container");
  cmd->prefix_command();  // SERVICE COMMAND [ARGS...]: the rest is the command's
  cmd->add_flag("-d,--detach", f->detach, "Detached mode: Run command in the background");
  cmd->add_option("-e,--env", f->env, "Set environment variables")
      ->allow_extra_args(false)
      ->take_all();
  cmd->add_option("--index", f->index, "Index of the container if service has multiple replicas");
  cmd->add_flag("--privileged", f->privileged, "Give extended privileges to the process");
  f->user_opt = cmd->add_option("-u,--user", f->user, "Run the command as this user");
  f->no_tty = !output_is_terminal();
  cmd->add_flag("-T,--no-TTY,--no-tty", f->no_tty,
                "Disable pseudo-TTY allocation. By default `compose exec` allocates a TTY.");
  f->workdir_opt =
      cmd->add_option("-w,--workdir", f->workdir, "Path to workdir directory for this command");
  // Accepted for docker-compose v1 scripts, and hidden, as Compose does.
  cmd->add_flag("-i,--interactive", f->interactive, "Keep STDIN open even if not attached")
      ->group("");
  cmd->add_flag("-t,--tty", f->tty, "Allocate a pseudo-TTY")->group("");
  cmd->callback([cmd, f, &g] { run_compose_exec(g, cmd, *f); });
}

struct ComposeRunFlags {
  bool detach = false, rm = false, no_deps = false, service_ports = false, use_aliases = false;
  bool no_tty = false, interactive = true, tty = true, remove_orphans = false;
  std::vector<std::string> env, labels, volumes, publish;
  std::string name, user, workdir, entrypoint, pull;
  bool quiet_pull = false;
  CLI::Option* entrypoint_opt = nullptr;
};

// `up` of the service's dependencies (and the project's networks and volumes), without the
// service itself: a plan_up of the service with its own actions taken out. The service stays
// in the plan, with nothing to do, so the converger still waits for its dependencies'
// conditions (service_healthy, service_completed_successfully), as Compose's run does; with
// --no-deps nothing is started or waited for.
void start_dependencies(Globals& g, const schema::Project& project, const std::string& service,
                        const ComposeRunFlags& f) {
  orch::UpOptions up{.services = {service}, .remove_orphans = f.remove_orphans};
  orch::Plan plan = orch::plan_up(project, orch::observe(g.paths, project.name), up);
  if (f.no_deps) {
    plan.containers.clear();
    plan.order.clear();
    plan.after.clear();
  } else {
    plan.containers[service].clear();
  }
  auto view = progress_view();  // finished here, before the one-off container's output
  orch::converge_up(g.paths, project, plan, converge_options(-1, view));
}

// The service's request with run's changes, as Compose's applyRunOptions and prepareRun make
// them: the command, -e/-u/-w/--entrypoint/-l over the service's, -v added, ports only with
// --service-ports or -p, no restart policy, no network aliases unless --use-aliases.
request::ContainerRequest one_off_request(const schema::Project& project, const schema::Service& s,
                                          const ComposeRunFlags& f,
                                          const std::vector<std::string>& command) {
  request::ContainerRequest r = compose::service_request(project, s);
  const std::string slug = random_hex(32);
  r.name = f.name.empty() ? project.name + "-" + s.name + "-run-" + slug.substr(0, 12) : f.name;
  if (!command.empty()) r.process.command = command;
  if (f.entrypoint_opt->count()) {
    r.process.entrypoint = compose::shell_split(f.entrypoint);
    if (command.empty()) r.process.command = std::vector<std::string>{};
  }
  for (auto& kv : resolve_env({}, f.env)) r.process.env.push_back(std::move(kv));
  if (!f.user.empty()) r.process.user = f.user;
  if (!f.workdir.empty()) r.process.working_dir = f.workdir;
  r.process.tty = !f.no_tty;
  r.process.open_stdin = f.interactive && !f.detach;
  for (auto& m : volume_flags(f.volumes)) r.mounts.push_back(std::move(m));
  if (!f.publish.empty())
    r.publish.ports = publish_flags(f.publish);
  else if (!f.service_ports)
    r.publish = {};
  r.supervision.restart = {};
  r.auto_remove = f.rm;
  orch::resolve_service_references(project, s.name, r);
  for (auto& n : r.network.networks) {
    if (f.use_aliases)
      n.aliases.insert(n.aliases.begin(), s.name);
    else
      n.aliases.clear();
  }
  for (auto& [k, v] : orch::container_labels(project, s, -1, compose::service_config_hash(s)))
    r.labels[k] = v;
  r.labels[orch::kOneoffLabel] = "True";
  r.labels[kSlugLabel] = slug;
  for (const auto& l : f.labels) {
    try {
      auto [key, value] = request::parse_label(l);
      r.labels[key] = value;
    } catch (const std::invalid_argument& e) {
      throw Error(std::string("--label: ") + e.what());
    }
  }
  return r;
}

void run_compose_run(Globals& g, CLI::App* cmd, const ComposeRunFlags& f) {
  const auto rest = cmd->remaining();
  if (rest.empty())
    throw Error("\"run\" requires at least 1 argument.\nSee 'berth compose run --help'.");
  if (f.service_ports && !f.publish.empty())
    throw Error("--service-ports and --publish are incompatible");
  const std::string& name = rest[0];
  const schema::Project project = load_compose_project({name});
  const schema::Service* s = project.find_service(name);
  if (!s) throw Error("no such service: " + name);
  // Built first: a bad flag value is refused before anything is made.
  const auto req = one_off_request(project, *s, f, {rest.begin() + 1, rest.end()});
  g.paths.ensure();
  // The service's image (and, unless --no-deps, its dependencies') as their policies say.
  pull_for_up(g, project, {name}, f.pull, f.quiet_pull, !f.no_deps);
  {
    FileLock lock = orch::lock_project(g.paths, project.name);
    start_dependencies(g, project, name, f);
  }
  const core::state::Container c = lc::create_container(g.paths, req);
  if (f.detach) {
    lc::start_container(g.paths, c);
    std::cout << c.id() << "\n";
    return;
  }
  g.exit_code = run_attached(g, c, req.process.open_stdin);
}

void add_compose_run(CLI::App& group, Globals& g) {
  auto f = std::make_shared<ComposeRunFlags>();
  auto* cmd = group.add_subcommand("run", "Run a one-off command on a service");
  cmd->prefix_command();  // SERVICE [COMMAND] [ARGS...]: the rest is the command's
  cmd->add_flag("-d,--detach", f->detach, "Run container in background and print container ID");
  cmd->add_option("-e,--env", f->env, "Set environment variables")
      ->allow_extra_args(false)
      ->take_all();
  cmd->add_option("-l,--label", f->labels, "Add or override a label")
      ->allow_extra_args(false)
      ->take_all();
  cmd->add_flag("--rm", f->rm, "Automatically remove the container when it exits");
  f->no_tty = !output_is_terminal();
  cmd->add_flag("-T,--no-TTY", f->no_tty, "Disable pseudo-TTY allocation (default: auto-detected)");
  cmd->add_option("--name", f->name, "Assign a name to the container");
  cmd->add_option("-u,--user", f->user, "Run as specified username or uid");
  cmd->add_option("-w,--workdir", f->workdir, "Working directory inside the container");
  f->entrypoint_opt =
      cmd->add_option("--entrypoint", f->entrypoint, "Override the entrypoint of the image");
  cmd->add_flag("--no-deps", f->no_deps, "Don't start linked services");
  cmd->add_option("--pull", f->pull,
                  "Pull image before running (\"always\"|\"missing\"|\"never\")");
  cmd->add_flag("--quiet-pull", f->quiet_pull, "Pull without printing progress information");
  cmd->add_option("-v,--volume", f->volumes, "Bind mount a volume")
      ->allow_extra_args(false)
      ->take_all();
  cmd->add_option("-p,--publish", f->publish, "Publish a container's port(s) to the host")
      ->allow_extra_args(false)
      ->take_all();
  cmd->add_flag("--use-aliases", f->use_aliases,
                "Use the service's network useAliases in the network(s) the container connects to");
  cmd->add_flag("--service-ports", f->service_ports,
                "Run command with all service's ports enabled and mapped to the host");
  cmd->add_flag("--remove-orphans", f->remove_orphans,
                "Remove containers for services not defined in the Compose file");
  cmd->add_flag("-i,--interactive", f->interactive, "Keep STDIN open even if not attached")
      ->group("");
  cmd->add_flag("-t,--tty", f->tty, "Allocate a pseudo-TTY")->group("");
  cmd->callback([cmd, f, &g] { run_compose_run(g, cmd, *f); });
}

void register_compose_exec_run(CLI::App& app, Globals& g) {
  add_compose_exec(compose_group(app), g);
  add_compose_run(compose_group(app), g);
}

}  // namespace
BERTH_COMMANDS(register_compose_exec_run);
}  // namespace berth::cli
