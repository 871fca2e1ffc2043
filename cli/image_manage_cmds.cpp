// `image inspect`, `image prune` and the removal loop shared by `rmi` / `image rm`.
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "cli/format/template.h"
#include "cli/image_format.h"
#include "cli/image_groups.h"
#include "common/error.h"
#include "engine/image/inspect.h"
#include "engine/image/remove.h"

namespace berth::cli {

namespace img = berth::engine::image;

int remove_images(const Paths& paths, const std::vector<std::string>& refs, bool force) {
  img::Store store(paths);
  int rc = 0;
  for (const auto& ref : refs) {
    try {
      for (const auto& line : img::remove_image(store, ref, force))
        std::printf("%s\n", line.c_str());
    } catch (const Error& e) {
      std::fflush(stdout);
      std::fprintf(stderr, "Error: %s\n", e.what());
      rc = 1;
    }
  }
  return rc;
}

void add_inspect_command(CLI::App& parent, Globals& g, const std::string& name) {
  auto refs = std::make_shared<std::vector<std::string>>();
  auto format = std::make_shared<std::string>();
  auto* cmd = parent.add_subcommand(name, "Display detailed information on one or more images");
  cmd->add_option("images", *refs, "IMAGE")->required();
  cmd->add_option("-f,--format", *format,
                  "Format output using a Go template ({{.Id}}, {{json .Config}})");
  cmd->callback([&g, refs, format] {
    img::Store store(g.paths);
    auto out = nlohmann::ordered_json::array();
    std::vector<std::string> errors;
    for (const auto& ref : *refs) {
      try {
        out.push_back(img::inspect_json(store.resolve(ref)));
      } catch (const NotFound& e) {
        errors.push_back(e.what());
      }
    }
    if (!format->empty()) {
      for (const auto& item : out)
        std::printf("%s\n", format::render_template(*format, item).c_str());
    } else {
      std::printf("%s\n", go_json_escape(out.dump(4)).c_str());
    }
    std::fflush(stdout);
    for (const auto& e : errors) std::fprintf(stderr, "Error: %s\n", e.c_str());
    if (!errors.empty()) g.exit_code = 1;
  });
}

namespace {
bool confirm_image_prune(const std::string& warning) {
  std::printf("%s\nAre you sure you want to continue? [y/N] ", warning.c_str());
  std::fflush(stdout);
  std::string answer;
  if (!std::getline(std::cin, answer)) return false;
  return answer == "y" || answer == "Y" || answer == "yes";
}
}  // namespace

void add_prune_command(CLI::App& parent, Globals& g, const std::string& name) {
  auto all = std::make_shared<bool>(false);
  auto force = std::make_shared<bool>(false);
  auto* cmd = parent.add_subcommand(name, "Remove unused images");
  cmd->add_flag("-a,--all", *all, "Remove all unused images, not just dangling ones");
  cmd->add_flag("-f,--force", *force, "Do not prompt for confirmation");
  cmd->callback([&g, all, force] {
    const char* warning = *all ? "WARNING! This will remove all images without at least one "
                                 "container associated to them."
                               : "WARNING! This will remove all dangling images.";
    if (!*force && !confirm_image_prune(warning)) return;
    img::Store store(g.paths);
    auto report = img::prune_images(store, *all);
    if (!report.lines.empty()) {
      std::printf("Deleted Images:\n");
      for (const auto& l : report.lines) std::printf("%s\n", l.c_str());
      std::printf("\n");
    }
    std::printf("Total reclaimed space: %s\n",
                human_size(static_cast<double>(report.reclaimed)).c_str());
  });
}

}  // namespace berth::cli
