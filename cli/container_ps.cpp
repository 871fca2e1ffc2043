// ps: Docker's table, -q IDs, or --format (json, a template, table TEMPLATE): cli/format/list.h.
#include <iostream>
#include <memory>

#include "cli/container_commands.h"
#include "cli/format/container_rows.h"
#include "common/timestamps.h"
#include "core/state/container_store.h"
#include "engine/lifecycle/container_list.h"

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
  sub->add_option("--format", f->format,
                  "Format output: table, json, a Go template ({{.Names}}) or table TEMPLATE");
  sub->add_option("-f,--filter", f->filters, "Filter output (label=, name=, status=, id=)")
      ->allow_extra_args(false)
      ->take_all();
  sub->callback([f, &g] {
    lc::ContainerFilter filter(f->filters);
    core::state::ContainerStore store(g.paths);
    std::vector<core::state::Container> rows;
    for (auto& c : store.list()) {
      if (!f->all && !filter.has_status() && !c.running() && !c.state.restarting) continue;
      if (filter.matches(c)) rows.push_back(std::move(c));
    }
    const auto now = berth::now();
    if (f->quiet) {
      for (const auto& c : rows) std::cout << (f->no_trunc ? c.id() : c.id().substr(0, 12)) << "\n";
      return;
    }
    std::vector<format::Row> out;
    for (const auto& c : rows) out.push_back(format::ps_row(c, now, f->no_trunc));
    format::print_list(std::cout, f->format, format::ps_columns(), out);
  });
  return sub;
}

}  // namespace berth::cli
