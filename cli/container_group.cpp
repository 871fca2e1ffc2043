// Registers the container verbs twice: at the top level (`berth run`, `berth ps`, ...) and in
// the `container` group with Docker's aliases (`berth container ls|list|ps`, `rm|remove`, ...).
#include <iostream>

#include "cli/container_commands.h"
#include "cli/container_exec_cmds.h"
#include "common/error.h"

namespace berth::cli {

void for_each_container(Globals& g, const std::vector<std::string>& names,
                        const std::function<void(const std::string&)>& fn) {
  for (const auto& name : names) {
    try {
      fn(name);
    } catch (const Error& e) {
      std::cerr << "Error: " << e.what() << "\n";
      g.exit_code = 1;
    }
  }
}

namespace {

void add_all(CLI::App& parent, Globals& g, bool top_level) {
  add_run(parent, g);
  add_create(parent, g);
  add_start(parent, g);
  add_stop(parent, g);
  add_restart(parent, g);
  add_kill(parent, g);
  auto* rm = add_rm(parent, g);
  add_wait(parent, g);
  auto* ps = add_ps(parent, g);
  add_logs(parent, g);
  add_port(parent, g);
  add_container_inspect(parent, g, top_level);
  add_exec_commands(parent, g);
  if (!top_level) {
    ps->alias("ls");
    ps->alias("list");
    rm->alias("remove");
  }
}

void register_containers(CLI::App& app, Globals& g) {
  add_all(app, g, true);
  auto* group = app.add_subcommand("container", "Manage containers");
  group->require_subcommand(1);
  add_all(*group, g, false);
}

BERTH_COMMANDS(register_containers);

}  // namespace
}  // namespace berth::cli
