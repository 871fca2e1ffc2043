// The command registry: each cli/*.cpp file adds one group of subcommands to the app
// through BERTH_COMMANDS(fn). cli/ is thin: parse flags, call a library, print.
// Building CLI11's whole command tree costs ~1 ms at every exec, so a group may claim its
// top-level words: BERTH_COMMANDS(fn, "run", "ps"). When argv's command word is claimed, only
// the groups claiming it are built (they must then add everything that word needs); any
// other command line (`berth --help`, an unclaimed word) builds the whole tree.
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
  // --insecure-registry HOST (repeatable): registries reached without TLS verification.
  std::vector<std::string> insecure_registries;
  // What `berth` exits with when the callback returns normally (e.g. a container's code).
  int exit_code = 0;
  // argv's command word when a group claimed it (only the claiming groups are built), else
  // empty: a claiming group may then add just that word.
  std::string verb;
};

using Registrar = std::function<void(CLI::App& app, Globals& globals)>;

struct CommandGroup {
  Registrar add;
  std::vector<std::string> claims;  // top-level words; empty: built for every command line
};

std::vector<CommandGroup>& registrars();

struct RegisterCommands {
  RegisterCommands(Registrar r, std::initializer_list<const char*> claims = {}) {
    registrars().push_back({std::move(r), {claims.begin(), claims.end()}});
  }
};

}  // namespace berth::cli

// __COUNTER__, not __LINE__: the command files are compiled several to a unit (unity build),
// where two registrations on the same line number of different files would collide.
#define BERTH_CONCAT_INNER(a, b) a##b
#define BERTH_CONCAT(a, b) BERTH_CONCAT_INNER(a, b)
#define BERTH_COMMANDS(fn, ...)                                                        \
  static ::berth::cli::RegisterCommands BERTH_CONCAT(berth_register_, __COUNTER__)(fn, \
                                                                                   {__VA_ARGS__})
