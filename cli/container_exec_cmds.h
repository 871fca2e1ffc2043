// The verbs that work on running containers: exec, pause, unpause, top, stats,
// rename, cp. add_exec_commands adds them to a parent (the top level and the `container`
// group), like container_commands.h does for the core verbs.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/commands.h"

namespace berth::cli {

void add_exec_commands(CLI::App& parent, Globals& g);

CLI::App* add_exec(CLI::App& parent, Globals& g);
CLI::App* add_pause(CLI::App& parent, Globals& g);
CLI::App* add_unpause(CLI::App& parent, Globals& g);
CLI::App* add_top(CLI::App& parent, Globals& g);
CLI::App* add_stats(CLI::App& parent, Globals& g);
CLI::App* add_rename(CLI::App& parent, Globals& g);
CLI::App* add_cp(CLI::App& parent, Globals& g);
// `system restore` (cli/system_restore.cpp), added to the `system` group.
void add_system_restore(CLI::App& system, Globals& g);

}  // namespace berth::cli
