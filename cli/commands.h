// The command registry: each cli/*.cpp file adds one group of subcommands to the app
// through BERTH_COMMANDS(fn). cli/ is thin: parse flags, call a library, print.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

#include "common/paths.h"

namespace berth::cli {

// Options every command sees, filled before any subcommand callback runs.
struct Globals {
  Paths paths;
  std::string log_level = "warn";
  // What `berth` exits with when the callback returns normally (e.g. a container's code).
  int exit_code = 0;
};

using Registrar = std::function<void(CLI::App& app, Globals& globals)>;

std::vector<Registrar>& registrars();

struct RegisterCommands {
  explicit RegisterCommands(Registrar r) { registrars().push_back(std::move(r)); }
};

}  // namespace berth::cli

#define BERTH_CONCAT_INNER(a, b) a##b
#define BERTH_CONCAT(a, b) BERTH_CONCAT_INNER(a, b)
#define BERTH_COMMANDS(fn) \
  static ::berth::cli::RegisterCommands BERTH_CONCAT(berth_register_, __LINE__)(fn)
