// The container commands: each add_* adds one verb to a parent, so that the same
// definitions serve the top level (`berth ps`) and the `container` group (`berth container ls`).
// Registered by container_group.cpp.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "core/state/container.h"
#include "engine/lifecycle/container_logs.h"

namespace berth::cli {

CLI::App* add_run(CLI::App& parent, Globals& g);
CLI::App* add_create(CLI::App& parent, Globals& g);
CLI::App* add_start(CLI::App& parent, Globals& g);
CLI::App* add_stop(CLI::App& parent, Globals& g);
CLI::App* add_restart(CLI::App& parent, Globals& g);
CLI::App* add_kill(CLI::App& parent, Globals& g);
CLI::App* add_rm(CLI::App& parent, Globals& g);
CLI::App* add_wait(CLI::App& parent, Globals& g);
CLI::App* add_ps(CLI::App& parent, Globals& g);
CLI::App* add_logs(CLI::App& parent, Globals& g);
CLI::App* add_port(CLI::App& parent, Globals& g);
CLI::App* add_container_inspect(CLI::App& parent, Globals& g, bool top_level);
CLI::App* add_commit(CLI::App& parent, Globals& g);

// The --tail ("all" or N), --since and --until of `logs` and `compose logs` as the engine's
// options (no follow, no timestamps). Throws Error (125) naming a malformed value.
engine::lifecycle::LogOptions log_options(const std::string& tail, const std::string& since,
                                          const std::string& until);

// Starts c attached: the monitor gets this process's stdio (stdin too when with_stdin, the
// terminal raw when c has a tty), signals are forwarded to the container; returns its exit
// code. `run`, `start -a` and `compose run`.
int run_attached(Globals& g, const core::state::Container& c, bool with_stdin);

// Runs fn for each name; an error is printed as "Error: ..." and the command exits 1 at the
// end, after trying every name (Docker's behaviour for stop/kill/rm/...).
void for_each_container(Globals& g, const std::vector<std::string>& names,
                        const std::function<void(const std::string&)>& fn);

}  // namespace berth::cli
