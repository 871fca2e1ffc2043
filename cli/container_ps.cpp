// ps: Docker's table, -q IDs, or --format json (one object per line).
#include <iostream>
#include <memory>

#include "cli/container_commands.h"
#include "common/error.h"
#include "common/timestamps.h"
#include "engine/lifecycle/container_list.h"
#include "engine/state/container_store.h"

namespace berth::cli {

namespace lc = engine::lifecycle;

namespace {
struct PsFlags {
  bool all = false, quiet = false, no_trunc = false;
  std::string format;
  std::vector<std::string> filters;
};
}  // namespace

CLI::App* add_ps(CLI::App& parent, Globals& g) {
  auto* sub = parent.add_subcommand("ps", "List containers");
  auto f = std::make_shared<PsFlags>();
  sub->add_flag("-a,--all", f->all, "Show all containers (default shows just running)");
  sub->add_flag("-q,--quiet", f->quiet, "Only display container IDs");
  sub->add_flag("--no-trunc", f->no_trunc, "Don't truncate output");
  sub->add_option("--format", f->format, "Format output: table or json");
  sub->add_option("-f,--filter", f->filters, "Filter output (label=, name=, status=, id=)")
      ->allow_extra_args(false)
      ->take_all();
  sub->callback([f, &g] {
    if (!f->format.empty() && f->format != "json" && f->format != "table")
      throw Error("--format: only \"table\" and \"json\" are supported", 125);
    lc::ContainerFilter filter(f->filters);
    engine::state::ContainerStore store(g.paths);
    std::vector<engine::state::Container> rows;
    for (auto& c : store.list()) {
      if (!f->all && !filter.has_status() && !c.running() && !c.state.restarting) continue;
      if (filter.matches(c)) rows.push_back(std::move(c));
    }
    const auto now = berth::now();
    if (f->quiet) {
      for (const auto& c : rows) std::cout << (f->no_trunc ? c.id() : c.id().substr(0, 12)) << "\n";
    } else if (f->format == "json") {
      for (const auto& c : rows) std::cout << lc::ps_json(c, now).dump() << "\n";
    } else {
      std::cout << lc::ps_table(rows, now, f->no_trunc);
    }
  });
  return sub;
}

}  // namespace berth::cli
