// top and stats: Docker's tables (and `stats --format json`) over engine/lifecycle.
#include <unistd.h>

#include <iostream>
#include <memory>
#include <thread>

#include "cli/container_commands.h"
#include "cli/container_exec_cmds.h"
#include "common/error.h"
#include "core/state/container_store.h"
#include "engine/lifecycle/container_stats.h"
#include "engine/lifecycle/container_top.h"

namespace berth::cli {

namespace lc = engine::lifecycle;
using core::state::Container;
using core::state::ContainerStore;

CLI::App* add_top(CLI::App& parent, Globals& g) {
  auto* sub = parent.add_subcommand("top", "Display the running processes of a container");
  sub->prefix_command();  // CONTAINER [ps OPTIONS]: the options are ps's
  sub->callback([sub, &g] {
    auto rest = sub->remaining();
    if (rest.empty())
      throw Error("\"top\" requires at least 1 argument.\nSee 'berth top --help'.", 125);
    ContainerStore store(g.paths);
    std::vector<std::string> ps_args(rest.begin() + 1, rest.end());
    std::cout << lc::format_table(lc::top_container(store, store.resolve(rest[0]), ps_args));
  });
  return sub;
}

namespace {

struct StatsFlags {
  std::vector<std::string> names;
  bool all = false, no_stream = false, no_trunc = false;
  std::string format;
};

std::vector<Container> stats_targets(const ContainerStore& store, const StatsFlags& f) {
  std::vector<Container> out;
  if (f.names.empty()) {
    for (auto& c : store.list())
      if (c.running() || f.all) out.push_back(std::move(c));
    return out;
  }
  for (const auto& n : f.names) out.push_back(store.find(n));
  return out;
}

// Two samples 500 ms apart, for the CPU share between them.
std::string render(const ContainerStore& store, const StatsFlags& f) {
  auto targets = stats_targets(store, f);
  std::vector<lc::StatsSample> first(targets.size());
  for (size_t i = 0; i < targets.size(); ++i)
    if (targets[i].running()) first[i] = lc::sample_stats(targets[i]);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  std::vector<lc::StatsRow> rows;
  for (size_t i = 0; i < targets.size(); ++i) {
    lc::StatsSample now;
    try {
      if (targets[i].running()) now = lc::sample_stats(targets[i]);
    } catch (const Error&) {
      // It stopped meanwhile: zeros, as Docker shows a stopped container.
    }
    auto row = lc::stats_row(targets[i], first[i], now);
    if (f.no_trunc) row.id = targets[i].id();
    rows.push_back(std::move(row));
  }
  if (f.format != "json") return lc::stats_table(rows);
  std::string out;
  for (const auto& r : rows) out += lc::stats_json(r).dump() + "\n";
  return out;
}

}  // namespace

CLI::App* add_stats(CLI::App& parent, Globals& g) {
  auto* sub =
      parent.add_subcommand("stats", "Display a live stream of container(s) resource usage");
  auto f = std::make_shared<StatsFlags>();
  sub->add_option("CONTAINER", f->names, "Containers (default: all running)");
  sub->add_flag("-a,--all", f->all, "Show all containers (default shows just running)");
  sub->add_flag("--no-stream", f->no_stream, "Disable streaming stats and only pull the first");
  sub->add_flag("--no-trunc", f->no_trunc, "Do not truncate output");
  sub->add_option("--format", f->format, "Format output: table or json");
  sub->callback([f, &g] {
    if (!f->format.empty() && f->format != "json" && f->format != "table")
      throw Error("--format: only \"table\" and \"json\" are supported", 125);
    ContainerStore store(g.paths);
    if (f->no_stream) {
      std::cout << render(store, *f);
      return;
    }
    for (;;) {
      std::string frame = render(store, *f);
      std::cout << (::isatty(1) ? "\033[2J\033[H" : "") << frame << std::flush;
    }
  });
  return sub;
}

}  // namespace berth::cli
