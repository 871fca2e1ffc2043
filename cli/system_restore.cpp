// `system restore`: brings back the containers whose restart policy asks for it after a
// reboot (engine/lifecycle/container_restore.h).
#include <iostream>

#include "cli/container_exec_cmds.h"
#include "engine/lifecycle/container_restore.h"

namespace berth::cli {

void add_system_restore(CLI::App& system, Globals& g) {
  auto* sub = system.add_subcommand(
      "restore", "Start the containers whose restart policy is always or unless-stopped");
  sub->callback([&g] {
    auto r = engine::lifecycle::restore_containers(g.paths);
    for (const auto& name : r.started) std::cout << name << "\n";
    for (const auto& e : r.errors) std::cerr << "Error: " << e << "\n";
    if (!r.errors.empty()) g.exit_code = 1;
  });
}

}  // namespace berth::cli
