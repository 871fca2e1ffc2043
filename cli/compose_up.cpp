// `berth compose up -d`, `down`, `stop`, `start`, `rm`: load the project, take its lock,
// observe what exists, plan (orchestrator/plan.h), converge, printing Compose's plain
// progress lines (` Container demo-web-1  Started`) on stderr. `up` without -d then attaches
// (compose_attach.h).
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <memory>
#include <optional>

#include "cli/compose_attach.h"
#include "cli/compose_cmds.h"
#include "cli/format/progress.h"
#include "common/error.h"
#include "compose/loader.h"
#include "compose/render.h"
#include "orchestrator/config_record.h"
#include "orchestrator/converge.h"
#include "orchestrator/dag_runner.h"
#include "orchestrator/observe.h"

namespace berth::cli {
namespace {

namespace orch = orchestrator;

void warn_orphans(const orch::Plan& plan) {
  if (plan.orphans.empty()) return;
  std::string names;
  for (const auto& c : plan.orphans) names += (names.empty() ? "" : " ") + c.name;
  std::fprintf(stderr,
               "WARN Found orphan containers ([%s]) for this project. If you removed or renamed "
               "this service in your compose file, you can run this command with the "
               "--remove-orphans flag to clean it up.\n",
               names.c_str());
}

// A recreate's reason with the fields that changed since the container was made.
std::string recreate_reason(const Paths& paths, const schema::Project& project,
                            const orch::Action& a) {
  if (a.reason != "config hash changed") return a.reason;
  const schema::Service* s = project.find_service(a.service);
  if (!s) return a.reason;
  std::string fields;
  for (const auto& f :
       orch::changed_since_created(paths, a.container_id, compose::service_config_json(*s)))
    fields += (fields.empty() ? "" : ", ") + f;
  return "changed: " + fields;
}

// --dry-run: the plan, one line per action as Compose's dry run prints it, with the reason
// (for a recreate, the fields that changed).
void print_plan(const Paths& paths, const schema::Project& project, const orch::Plan& plan) {
  auto line = [&](const char* kind, const orch::Action& a, const char* verb) {
    const std::string reason = a.kind == orch::ActionKind::kRecreateContainer
                                   ? recreate_reason(paths, project, a)
                                   : a.reason;
    std::printf(" DRY-RUN MODE -  %s %s  %s (%s)\n", kind, a.name.c_str(), verb, reason.c_str());
  };
  for (const auto& a : plan.resources)
    line(a.kind == orch::ActionKind::kCreateNetwork ? "Network" : "Volume", a, "Create");
  for (const auto& service : plan.order) {
    for (const auto& a : plan.containers.at(service)) {
      switch (a.kind) {
        case orch::ActionKind::kCreateContainer:
          line("Container", a, "Create");
          break;
        case orch::ActionKind::kRecreateContainer:
          line("Container", a, "Recreate");
          break;
        case orch::ActionKind::kStartContainer:
          line("Container", a, "Start");
          break;
        case orch::ActionKind::kRestartContainer:
          line("Container", a, "Restart");
          break;
        case orch::ActionKind::kRemoveContainer:
          line("Container", a, "Remove");
          break;
        default:
          line("Container", a, "Running");
          break;
      }
    }
  }
}

// What the project asks that berth cannot honour: every such line, and nothing is done.
void refuse_unsupported(const schema::Project& project, const std::vector<std::string>& services) {
  std::string lines;
  for (const auto& l : compose::unsupported_uses(project, services))
    lines += (lines.empty() ? "" : "\n") + l;
  if (!lines.empty()) throw Error(lines);
}

// --scale SERVICE=N, over the file's `scale`.
void apply_scale(schema::Project& project, const std::vector<std::string>& specs) {
  for (const auto& spec : specs) {
    const size_t eq = spec.find('=');
    const std::string name = spec.substr(0, eq);
    int n = -1;
    if (eq != std::string::npos) {
      const char* first = spec.data() + eq + 1;
      const char* last = spec.data() + spec.size();
      auto [end, ec] = std::from_chars(first, last, n);
      if (ec != std::errc() || end != last || first == last) n = -1;
    }
    if (n < 0) throw Error("invalid --scale \"" + spec + "\": expected SERVICE=NUMBER");
    auto it = std::find_if(project.services.begin(), project.services.end(),
                           [&](const schema::Service& s) { return s.name == name; });
    if (it == project.services.end()) throw Error("no such service: " + name);
    it->scale = n;
  }
}

struct UpFlags {
  bool detach = false, dry_run = false, no_start = false, wait = false, build = false;
  bool no_build = false, quiet_pull = false;
  int timeout = -1, wait_timeout = 0;
  std::string pull;
  std::vector<std::string> scale;
  orch::UpOptions plan;
  AttachFlags attach;
};

// What berth cannot do yet among up's flags: one clear line each.
void check_up_flags(const UpFlags& f) {
  check_attach_flags(f.attach, f.detach, f.wait);
  if (f.plan.force_recreate && f.plan.no_recreate)
    throw Error("--force-recreate and --no-recreate are incompatible");
  if (f.build && f.no_build) throw Error("--build and --no-build are incompatible");
  if (!f.pull.empty() && f.pull != "always" && f.pull != "missing" && f.pull != "never" &&
      f.pull != "build")
    throw Error("invalid --pull option \"" + f.pull +
                "\": expected always, missing, never or build");
  if (f.wait && f.no_start) throw Error("--wait and --no-start are incompatible");
}

void run_up(Globals& g, const UpFlags& f) {
  check_up_flags(f);
  schema::Project project = load_compose_project(f.plan.services);
  apply_scale(project, f.scale);
  refuse_unsupported(project, f.plan.services);
  // Attached: its flags checked and SIGINT/SIGTERM held back before anything starts.
  std::optional<AttachedUp> attached;
  if (!f.detach && !f.dry_run && !f.no_start && !f.wait)
    attached.emplace(f.attach, project, f.plan.services);
  g.paths.ensure();
  if (!f.dry_run) {
    const auto must_build = pull_for_up(g, project, f.plan.services, f.pull, f.quiet_pull);
    if (!f.no_build) build_for_up(g, project, f.plan.services, f.build, f.pull, must_build);
  }
  {
    // Released before attaching: `down` from another terminal must not wait for it.
    FileLock lock = orch::lock_project(g.paths, project.name);
    orch::CurrentState current = orch::observe(g.paths, project.name);
    orch::observe_images(g.paths, project, current);
    const orch::Plan plan = orch::plan_up(project, current, f.plan);
    if (!f.plan.remove_orphans) warn_orphans(plan);
    if (f.dry_run) return print_plan(g.paths, project, plan);
    auto view = progress_view();  // done before the logs are shown
    auto opts = converge_options(f.timeout, view);
    opts.start = !f.no_start;
    opts.wait = f.wait;
    opts.wait_timeout_s = f.wait_timeout;
    orch::converge_up(g.paths, project, plan, opts);
  }
  if (attached) {
    auto stop_view = progress_view();  // the stop after Ctrl-C or an abort
    g.exit_code = attached->run(g.paths, project, converge_options(f.timeout, stop_view));
  }
}

struct DownFlags {
  int timeout = -1;
  std::string rmi;
  orch::DownOptions plan;
};

void run_down(Globals& g, const DownFlags& f) {
  if (!f.rmi.empty() && f.rmi != "all" && f.rmi != "local")
    throw Error("invalid --rmi option \"" + f.rmi + "\": expected all or local");
  const schema::Project project = load_compose_project();
  g.paths.ensure();
  FileLock lock = orch::lock_project(g.paths, project.name);
  const orch::Plan plan = orch::plan_down(project, orch::observe(g.paths, project.name), f.plan);
  if (!f.plan.remove_orphans) warn_orphans(plan);
  auto view = progress_view();
  orch::converge_down(g.paths, project, plan, converge_options(f.timeout, view), f.plan.volumes);
  if (!f.rmi.empty())
    orch::remove_images(g.paths, project, f.rmi == "all", converge_options(f.timeout, view));
}

// stop, start, rm: the same steps around another planner.
struct ServiceVerbFlags {
  std::vector<std::string> services;
  int timeout = -1;
  bool force = false, stop_first = false, volumes = false, no_deps = false;
};

// rm without -f: Compose's question on stderr, the answer a line of stdin (no answer: no).
bool confirm_removal(const orch::Plan& plan) {
  std::string names;
  for (const auto& service : plan.order)
    for (const auto& a : plan.containers.at(service)) names += (names.empty() ? "" : ", ") + a.name;
  std::fprintf(stderr, "Going to remove %s\n? Are you sure? (y/N) ", names.c_str());
  std::fflush(stderr);
  std::string answer;
  for (int ch; (ch = std::getchar()) != EOF && ch != '\n';) answer += static_cast<char>(ch);
  std::fprintf(stderr, "\n");
  return answer == "y" || answer == "Y" || answer == "yes" || answer == "Yes";
}

enum class Verb { kStop, kStart, kRestart, kRm };

void run_service_verb(Globals& g, Verb verb, const ServiceVerbFlags& f) {
  const schema::Project project = load_compose_project();
  g.paths.ensure();
  FileLock lock = orch::lock_project(g.paths, project.name);
  const auto current = orch::observe(g.paths, project.name);
  auto view = progress_view();
  switch (verb) {
    case Verb::kStop:
      orch::converge_down(g.paths, project, orch::plan_stop(project, current, f.services),
                          converge_options(f.timeout, view), false);
      break;
    case Verb::kStart:
      orch::converge_up(g.paths, project, orch::plan_start(project, current, f.services),
                        converge_options(f.timeout, view));
      break;
    case Verb::kRestart:
      orch::converge_up(g.paths, project, orch::plan_restart(project, current, f.services),
                        converge_options(f.timeout, view));
      break;
    case Verb::kRm: {
      const auto plan = orch::plan_rm(project, current, f.services, f.stop_first);
      if (plan.order.empty()) {
        std::fprintf(stderr, "No stopped containers\n");
        return;
      }
      if (!f.force && !confirm_removal(plan)) return;
      orch::converge_down(g.paths, project, plan, converge_options(f.timeout, view), f.volumes);
      break;
    }
  }
}

void add_service_verbs(CLI::App& group, Globals& g) {
  struct VerbInfo {
    Verb verb;
    const char* name;
    const char* help;
  };
  for (const VerbInfo& v : {VerbInfo{Verb::kStop, "stop", "Stop services"},
                            VerbInfo{Verb::kStart, "start", "Start services"},
                            VerbInfo{Verb::kRestart, "restart", "Restart service containers"},
                            VerbInfo{Verb::kRm, "rm", "Removes stopped service containers"}}) {
    auto f = std::make_shared<ServiceVerbFlags>();
    auto* cmd = group.add_subcommand(v.name, v.help);
    if (v.verb == Verb::kStop || v.verb == Verb::kRestart)
      cmd->add_option("-t,--timeout", f->timeout, "Specify a shutdown timeout in seconds");
    if (v.verb == Verb::kRestart)
      cmd->add_flag("--no-deps", f->no_deps, "Don't restart dependent services");
    if (v.verb == Verb::kRm) {
      cmd->add_flag("-f,--force", f->force, "Don't ask to confirm removal");
      cmd->add_flag("-s,--stop", f->stop_first,
                    "Stop the containers, if required, before removing");
      cmd->add_flag("-v,--volumes", f->volumes,
                    "Remove any anonymous volumes attached to containers");
    }
    cmd->add_option("service", f->services, "Services");
    cmd->callback([f, verb = v.verb, &g] { run_service_verb(g, verb, *f); });
  }
}

// `up`, or `create` (up --no-start with the flags that make sense without starting).
void add_up(CLI::App& group, Globals& g, bool create) {
  auto f = std::make_shared<UpFlags>();
  f->no_start = create;
  auto* up =
      group.add_subcommand(create ? "create" : "up", create ? "Creates containers for a service"
                                                            : "Create and start containers");
  if (!create) {
    up->add_flag("-d,--detach", f->detach, "Detached mode: Run containers in the background");
    up->add_flag("--no-start", f->no_start, "Don't start the services after creating them");
    up->add_flag("--wait", f->wait,
                 "Wait for services to be running|healthy. Implies detached mode.");
    up->add_option("--wait-timeout", f->wait_timeout,
                   "Maximum duration in seconds to wait for the project to be running|healthy");
    up->add_flag("--no-deps", f->plan.no_deps, "Don't start linked services");
    up->add_flag("--quiet-pull", f->quiet_pull, "Pull without printing progress information");
    up->add_option("-t,--timeout", f->timeout,
                   "Use this timeout in seconds for container shutdown when attached or when "
                   "containers are already running");
    up->add_flag("--dry-run", f->dry_run, "Print the actions and why, without running them");
  }
  up->add_flag("--build", f->build, "Build images before starting containers");
  up->add_flag("--no-build", f->no_build, "Don't build an image, even if it's policy");
  up->add_option("--pull", f->pull, "Pull image before running (\"always\"|\"missing\"|\"never\")");
  up->add_flag("--force-recreate", f->plan.force_recreate,
               "Recreate containers even if their configuration hasn't changed");
  up->add_flag("--no-recreate", f->plan.no_recreate,
               "If containers already exist, don't recreate them");
  up->add_flag("--remove-orphans", f->plan.remove_orphans,
               "Remove containers for services not defined in the Compose file");
  up->add_option("--scale", f->scale,
                 "Scale SERVICE to NUM instances. Overrides the `scale` setting in the Compose "
                 "file if present.");
  if (!create) add_attach_flags(*up, f->attach);
  up->add_option("service", f->plan.services, "Services to start (and their dependencies)");
  up->callback([f, &g] { run_up(g, *f); });
}

void register_up_down(CLI::App& app, Globals& g) {
  add_service_verbs(compose_group(app), g);
  add_up(compose_group(app), g, false);
  add_up(compose_group(app), g, true);

  auto down_flags = std::make_shared<DownFlags>();
  auto* down = compose_group(app).add_subcommand("down", "Stop and remove containers, networks");
  down->add_flag("-v,--volumes", down_flags->plan.volumes,
                 "Remove named volumes declared in the \"volumes\" section of the Compose file "
                 "and anonymous volumes attached to containers");
  down->add_flag("--remove-orphans", down_flags->plan.remove_orphans,
                 "Remove containers for services not defined in the Compose file");
  down->add_option("-t,--timeout", down_flags->timeout, "Specify a shutdown timeout in seconds");
  down->add_option("--rmi", down_flags->rmi,
                   "Remove images used by services. \"local\" remove only images that don't have "
                   "a custom tag (\"local\"|\"all\")");
  down->callback([down_flags, &g] { run_down(g, *down_flags); });
}

}  // namespace
BERTH_COMMANDS(register_up_down);
}  // namespace berth::cli
