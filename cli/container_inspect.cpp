// inspect: a JSON array of Docker-shaped container objects (4-space indent, as docker prints).
#include <iostream>
#include <memory>
#include <optional>

#include "cli/container_commands.h"
#include "cli/format/template.h"
#include "cli/image_format.h"
#include "common/error.h"
#include "engine/image/inspect.h"
#include "engine/image/store.h"
#include "engine/lifecycle/container_inspect.h"

namespace berth::cli {

CLI::App* add_container_inspect(CLI::App& parent, Globals& g, bool top_level) {
  auto* sub = parent.add_subcommand("inspect", "Display detailed information on containers");
  auto names = std::make_shared<std::vector<std::string>>();
  auto format = std::make_shared<std::string>();
  sub->add_option("-f,--format", *format,
                  "Format output using a Go template ({{.State.Pid}}, {{json .Config}})");
  sub->add_option("NAME", *names, "Containers")->required();
  sub->callback([names, format, top_level, &g] {
    core::state::ContainerStore store(g.paths);
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& name : *names) {
      std::optional<core::state::Container> c;
      try {
        c = store.find(name);
      } catch (const NotFound&) {
        // Not a container: Docker's top-level inspect looks for an image next.
      }
      if (c) {
        out.push_back(engine::lifecycle::inspect_json(store, *c));
        continue;
      }
      try {
        // Docker's top-level inspect also finds images.
        if (!top_level) throw NotFound(name);
        engine::image::Store images(g.paths);
        out.push_back(engine::image::inspect_json(images.resolve(name)));
      } catch (const NotFound&) {
        std::cerr << "Error: No such " << (top_level ? "object" : "container") << ": " << name
                  << "\n";
        g.exit_code = 1;
      }
    }
    if (!format->empty()) {
      for (const auto& item : out) std::cout << format::render_template(*format, item) << "\n";
      return;
    }
    std::cout << go_json_escape(out.dump(4)) << "\n";
  });
  return sub;
}

}  // namespace berth::cli
