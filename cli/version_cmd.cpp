// `berth version`.
#include <cstdio>

#include "cli/commands.h"
#include "cli/version.h"

namespace berth::cli {
namespace {
void register_version(CLI::App& app, Globals&) {
  auto* cmd = app.add_subcommand("version", "Show the berth version information");
  cmd->callback([] { std::printf("berth version %s\n", BERTH_VERSION); });
}
}  // namespace
BERTH_COMMANDS(register_version, "version");
}  // namespace berth::cli
