// `berth compose ps [-a] [-q] [--services]`: the project's containers (found by label, as
// the orchestrator finds them) in Compose's table: NAME IMAGE COMMAND SERVICE CREATED STATUS
// PORTS, sorted by name; the rows are `ps`'s (cli/format/container_rows.h) plus Name and Service.
#include <algorithm>
#include <iostream>
#include <memory>
#include <set>

#include "cli/compose_cmds.h"
#include "cli/format/container_rows.h"
#include "common/error.h"
#include "common/timestamps.h"
#include "core/state/container_store.h"
#include "orchestrator/labels.h"

namespace berth::cli {
namespace {

struct ComposePsFlags {
  bool all = false, quiet = false, services = false;
  std::string format;
  std::vector<std::string> names, status, filters;
};

// --status S (repeatable) and --filter status=S: the states asked for, each checked.
std::set<std::string> wanted_states(const ComposePsFlags& f) {
  std::set<std::string> out(f.status.begin(), f.status.end());
  for (const auto& flt : f.filters) {
    if (!flt.starts_with("status="))
      throw Error("invalid filter \"" + flt + "\": compose ps filters by status=STATE only");
    out.insert(flt.substr(7));
  }
  for (const auto& s : out)
    if (s != "paused" && s != "restarting" && s != "removing" && s != "running" && s != "dead" &&
        s != "created" && s != "exited")
      throw Error("invalid status \"" + s +
                  "\": expected paused, restarting, removing, running, dead, created or exited");
  return out;
}

const format::Columns& compose_ps_columns() {
  static const format::Columns columns{
      {{"Name", "NAME"},
       {"Image", "IMAGE"},
       {"Command", "COMMAND"},
       {"Service", "SERVICE"},
       {"RunningFor", "CREATED"},
       {"Status", "STATUS"},
       {"Ports", "PORTS"},
       {"ID", "CONTAINER ID"}},
      "table {{.Name}}\t{{.Image}}\t{{.Command}}\t{{.Service}}\t{{.RunningFor}}\t{{.Status}}\t"
      "{{.Ports}}"};
  return columns;
}

void run_compose_ps(Globals& g, const ComposePsFlags& f) {
  const schema::Project project = load_compose_project();
  const std::set<std::string> states = wanted_states(f);
  std::vector<core::state::Container> rows;
  for (auto& c : core::state::ContainerStore(g.paths).list()) {
    const auto& l = c.config.labels;
    auto project_label = l.find(orchestrator::kProjectLabel);
    auto service_label = l.find(orchestrator::kServiceLabel);
    if (project_label == l.end() || project_label->second != project.name) continue;
    if (states.empty() && !f.all && !c.running() && !c.state.restarting) continue;
    if (!states.empty() && !states.count(core::state::docker_status(c.state))) continue;
    const std::string service = service_label == l.end() ? "" : service_label->second;
    if (!f.names.empty() && std::find(f.names.begin(), f.names.end(), service) == f.names.end())
      continue;
    rows.push_back(std::move(c));
  }
  std::sort(rows.begin(), rows.end(),
            [](const auto& a, const auto& b) { return a.config.name < b.config.name; });
  if (f.quiet || f.services) {
    std::set<std::string> seen;
    for (const auto& c : rows) {
      const std::string line = f.quiet ? c.id() : c.config.labels.at(orchestrator::kServiceLabel);
      if (seen.insert(line).second) std::cout << line << "\n";
    }
    return;
  }
  const auto now = berth::now();
  std::vector<format::Row> out;
  for (const auto& c : rows) {
    format::Row r = format::ps_row(c, now);
    r.fields["Name"] = c.config.name;
    r.fields["Service"] = c.config.labels.at(orchestrator::kServiceLabel);
    r.fields["Project"] = project.name;
    out.push_back(std::move(r));
  }
  format::print_list(std::cout, f.format, compose_ps_columns(), out);
}

void register_compose_ps(CLI::App& app, Globals& g) {
  auto f = std::make_shared<ComposePsFlags>();
  auto* cmd = compose_group(app).add_subcommand("ps", "List containers");
  cmd->add_flag("-a,--all", f->all, "Show all stopped containers");
  cmd->add_flag("-q,--quiet", f->quiet, "Only display IDs");
  cmd->add_flag("--services", f->services, "Display services");
  cmd->add_option("--format", f->format, "Format output: table, json or a Go template");
  cmd->add_option("--status", f->status,
                  "Filter services by status. Values: [paused | restarting | removing | running | "
                  "dead | created | exited]");
  cmd->add_option("--filter", f->filters, "Filter services by a property (status=STATE)");
  cmd->add_option("service", f->names, "Services");
  cmd->callback([f, &g] { run_compose_ps(g, *f); });
}

}  // namespace
BERTH_COMMANDS(register_compose_ps);
}  // namespace berth::cli
