// port CONTAINER [PRIVATE_PORT[/PROTO]]: Docker's listing of a container's published ports.
#include <iostream>
#include <memory>

#include "cli/container_commands.h"
#include "cli/format/ports.h"
#include "core/state/container_store.h"
#include "engine/lifecycle/container_ports.h"

namespace berth::cli {

CLI::App* add_port(CLI::App& parent, Globals& g) {
  auto* sub =
      parent.add_subcommand("port", "List port mappings or a specific mapping for the container");
  auto args = std::make_shared<std::vector<std::string>>();
  sub->add_option("CONTAINER [PRIVATE_PORT[/PROTO]]", *args, "Container and port")
      ->required()
      ->expected(1, 2);
  sub->callback([args, &g] {
    core::state::ContainerStore store(g.paths);
    auto c = store.find(args->at(0));
    std::string filter = args->size() > 1 ? args->at(1) : "";
    // A stopped container has no published ports (Docker prints nothing).
    auto bindings = c.running() ? engine::lifecycle::container_ports(c.config)
                                : std::vector<network::PortBinding>{};
    for (const auto& line : format::port_lines(bindings, filter, args->at(0)))
      std::cout << line << "\n";
  });
  return sub;
}

}  // namespace berth::cli
