// `berth history IMAGE` (and `image history`): the steps that made an image, newest first, as
// docker/cli prints them (-H/--human, --no-trunc, -q, --format).
#include <ctime>
#include <iostream>

#include "cli/commands.h"
#include "cli/format/history_rows.h"
#include "cli/image_groups.h"
#include "engine/image/history.h"
#include "engine/image/store.h"

namespace berth::cli {

namespace {

struct HistoryArgs {
  std::string image;
  bool human = true, no_trunc = false, quiet = false;
  std::string format;
};

void run_history(const Globals& g, const HistoryArgs& a) {
  engine::image::Store store(g.paths);
  const auto items = engine::image::image_history(store, store.resolve(a.image));
  const std::time_t now = std::time(nullptr);
  std::vector<format::Row> rows;
  for (const auto& item : items)
    rows.push_back(format::history_row(item, now, a.human, a.no_trunc));
  format::print_list(std::cout, a.format, format::history_columns(a.quiet, a.human), rows);
}

}  // namespace

void add_history_command(CLI::App& parent, Globals& g, const std::string& name) {
  auto a = std::make_shared<HistoryArgs>();
  auto* cmd = parent.add_subcommand(name, "Show the history of an image");
  cmd->add_option("image", a->image, "IMAGE")->required();
  cmd->add_flag("-H,--human", a->human, "Print sizes and dates in human readable format")
      ->default_str("true");
  cmd->add_flag("--no-trunc", a->no_trunc, "Don't truncate output");
  cmd->add_flag("-q,--quiet", a->quiet, "Only show image IDs");
  cmd->add_option("--format", a->format,
                  "Format output: table, json, a Go template ({{.ID}}) or table TEMPLATE");
  cmd->callback([&g, a] { run_history(g, *a); });
}

}  // namespace berth::cli
