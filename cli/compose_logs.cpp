// `berth compose logs [-f] [-n N] [-t] [--since] [--until] [--no-log-prefix] [--no-color]
// [--index N] [SERVICE...]`: the output of the project's containers (found by label,
// orchestrator/observe.h; one-off `run` containers left out, as Compose does), each line
// marked with its container, everything on stdout (compose_log_streams.h). With -f it follows
// the running ones until every one of them has stopped.
#include <unistd.h>

#include <algorithm>
#include <memory>

#include "cli/compose_cmds.h"
#include "cli/compose_log_streams.h"
#include "cli/container_commands.h"
#include "common/error.h"
#include "orchestrator/observe.h"

namespace berth::cli {
namespace {

struct ComposeLogsFlags {
  bool follow = false, timestamps = false, no_color = false, no_prefix = false;
  std::string tail = "all", since, until;
  int index = 0;
  std::vector<std::string> services;
};

std::vector<StreamedContainer> logged_containers(const Paths& paths, const std::string& project,
                                                 const ComposeLogsFlags& f) {
  std::vector<StreamedContainer> out;
  for (auto& c : orchestrator::observe(paths, project).containers) {
    if (c.oneoff) continue;
    if (!f.services.empty() &&
        std::find(f.services.begin(), f.services.end(), c.service) == f.services.end())
      continue;
    if (f.index > 0 && c.number != f.index) continue;
    out.push_back({std::move(c), true});
  }
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.container.name < b.container.name; });
  return out;
}

void run_compose_logs(Globals& g, const ComposeLogsFlags& f) {
  if (f.index > 0 && f.services.size() != 1)
    throw Error("--index requires one service to be selected");
  // An unknown SERVICE is the loader's "no such service: NAME".
  const schema::Project project = load_compose_project(f.services);
  LogStreamOptions o;
  o.log = log_options(f.tail, f.since, f.until);
  o.log.follow = f.follow;
  o.log.timestamps = f.timestamps;
  o.colour = !f.no_color && ::isatty(STDOUT_FILENO);
  o.prefix = !f.no_prefix;
  LogStreams streams(g.paths, project.name, logged_containers(g.paths, project.name, f), o);
  streams.start();
  streams.wait();
}

void register_compose_logs(CLI::App& app, Globals& g) {
  auto f = std::make_shared<ComposeLogsFlags>();
  auto* cmd = compose_group(app).add_subcommand("logs", "View output from containers");
  cmd->add_flag("-f,--follow", f->follow, "Follow log output");
  cmd->add_option("--index", f->index, "index of the container if service has multiple replicas");
  cmd->add_option("--since", f->since,
                  "Show logs since timestamp (e.g. 2013-01-02T13:23:37Z) or relative (e.g. 42m "
                  "for 42 minutes)");
  cmd->add_option("--until", f->until,
                  "Show logs before a timestamp (e.g. 2013-01-02T13:23:37Z) or relative (e.g. "
                  "42m for 42 minutes)");
  cmd->add_flag("--no-color", f->no_color, "Produce monochrome output");
  cmd->add_flag("--no-log-prefix", f->no_prefix, "Don't print prefix in logs");
  cmd->add_flag("-t,--timestamps", f->timestamps, "Show timestamps");
  cmd->add_option("-n,--tail", f->tail,
                  "Number of lines to show from the end of the logs for each container");
  cmd->add_option("service", f->services, "Services");
  cmd->callback([f, &g] { run_compose_logs(g, *f); });
}

}  // namespace
BERTH_COMMANDS(register_compose_logs);
}  // namespace berth::cli
