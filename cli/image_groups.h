// The image commands exist twice, as Docker has them: top-level (`images`, `rmi`, `tag`,
// `history`, `import`, `load`, `save`) and in the `image` group (`image ls|rm|tag|history|
// import|load|save|inspect|prune`). Each adder registers one command under the given parent and
// name.
#pragma once

#include <string>
#include <vector>

#include "cli/commands.h"

namespace berth::cli {

void add_import_command(CLI::App& parent, Globals& g, const std::string& name);
void add_load_command(CLI::App& parent, Globals& g, const std::string& name);
void add_save_command(CLI::App& parent, Globals& g, const std::string& name);
void add_inspect_command(CLI::App& parent, Globals& g, const std::string& name);
void add_prune_command(CLI::App& parent, Globals& g, const std::string& name);
void add_history_command(CLI::App& parent, Globals& g, const std::string& name);
void add_pull_command(CLI::App& parent, Globals& g, const std::string& name);
void add_push_command(CLI::App& parent, Globals& g, const std::string& name);

// Runs `rmi` on each ref, printing Docker's lines; errors go to stderr and the others go
// on. Returns the exit code (1 if any failed).
int remove_images(const Paths& paths, const std::vector<std::string>& refs, bool force);

}  // namespace berth::cli
