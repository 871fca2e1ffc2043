// The `berth compose` command group and its global flags (-f, -p, --project-directory,
// --env-file, --profile), shared by every compose subcommand: a subcommand file calls
// compose_group() to add itself and load_compose_project() to get the loaded Project.
#pragma once

#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/format/progress.h"
#include "compose/project_options.h"
#include "orchestrator/converge.h"
#include "schema/model.h"

namespace berth::cli {

// The `compose` subcommand of `app`, created with its global flags on first use.
CLI::App& compose_group(CLI::App& app);

// The compose global flags as given on this command line.
compose::ProjectOptions& compose_options();

// The progress display of one compose command, on stderr as Compose's (--progress). On a
// terminal it redraws in place from a thread: end its scope before printing anything else
// (attaching to logs, a one-off container's terminal). title: the tty header's word
// ("[+] Running 2/3", "[+] Pulling 1/1").
format::ProgressView progress_view(const std::string& title = "Running");

// The converger's options for a compose command: COMPOSE_PARALLEL_LIMIT, the stop timeout
// (< 0: each container's own), progress events to `view`.
orchestrator::ConvergeOptions converge_options(int timeout_s, format::ProgressView& view);

// Loads the project from compose_options(); `services` are the services the subcommand
// names (they and their dependencies are enabled whatever their profiles).
schema::Project load_compose_project(const std::vector<std::string>& services = {},
                                     bool interpolate = true);

// Builds, before `up`, the services among `services` (empty: all) and their dependencies that
// have a build section: those whose image is missing, whose policy (pull_policy, or
// `pull_policy` from --pull when not empty) is build, and those in `also` (their pull failed);
// all of them when `always` (--build).
void build_for_up(Globals& g, const schema::Project& project,
                  const std::vector<std::string>& services, bool always,
                  const std::string& pull_policy = "", const std::vector<std::string>& also = {});

// The pulls `up`, `create` and `run` make first (orchestrator/pull.h), by each service's
// pull_policy or `policy` (--pull) when not empty, with ` Image x Pulling` events (none when
// quiet); the services' dependencies too unless !with_deps. Returns the buildable services
// whose pull failed: they are built instead.
std::vector<std::string> pull_for_up(Globals& g, const schema::Project& project,
                                     const std::vector<std::string>& services,
                                     const std::string& policy, bool quiet, bool with_deps = true);

}  // namespace berth::cli
