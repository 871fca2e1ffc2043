// The compose loader: compose files → a validated, canonical schema::Project (what every
// `berth compose` subcommand works on). It only sequences the phases of phases.h; see
// project_options.h for how files, environment, profiles and the name are found.
#pragma once

#include "compose/project_options.h"
#include "schema/model.h"

namespace berth::compose {

// Loads the project. Throws schema::ComposeError (one line: `file:line:col: path: message`,
// exit code 15; 14 when no file is found) for any mistake in the files.
schema::Project load_project(const ProjectOptions& opts);

}  // namespace berth::compose
