// The compose loader: compose files → a validated, canonical schema::Project (what every
// `berth compose` subcommand works on). It only sequences the phases of phases.h; see
// project_options.h for how files, environment, profiles and the name are found.
#pragma once

#include <string>
#include <vector>

#include "compose/project_options.h"
#include "schema/model.h"

namespace berth::compose {

// Loads the project. Throws schema::ComposeError (one line: `file:line:col: path: message`,
// exit code 15; 14 when no file is found) for any mistake in the files.
schema::Project load_project(const ProjectOptions& opts);

// What the project asks that berth cannot honour (`runtime: runsc`, `gpus`, `provider`, the
// top-level `models`, swarm-only secret drivers, ...), one `file:line:col: path: berth does not
// support "key": why` line each, for `services` (all when empty). Valid compose all the same:
// `config` shows it; commands that run the project refuse it with these lines.
std::vector<std::string> unsupported_uses(const schema::Project& project,
                                          const std::vector<std::string>& services = {});

}  // namespace berth::compose
