// The `berth compose` command group and its global flags (-f, -p, --project-directory,
// --env-file, --profile), shared by every compose subcommand: a subcommand file calls
// compose_group() to add itself and load_compose_project() to get the loaded Project.
#pragma once

#include <string>
#include <vector>

#include "cli/commands.h"
#include "compose/project_options.h"
#include "schema/model.h"

namespace berth::cli {

// The `compose` subcommand of `app`, created with its global flags on first use.
CLI::App& compose_group(CLI::App& app);

// The compose global flags as given on this command line.
compose::ProjectOptions& compose_options();

// The --progress flag as given (auto, tty, plain, quiet; "" when not given).
const std::string& compose_progress();

// Loads the project from compose_options(); `services` are the services the subcommand
// names (they and their dependencies are enabled whatever their profiles).
schema::Project load_compose_project(const std::vector<std::string>& services = {},
                                     bool interpolate = true);

}  // namespace berth::cli
