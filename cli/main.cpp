// berth: entry point. Global flags, then the subcommand that each cli/*.cpp registered.
// Errors become one line on stderr and Docker's exit codes (125 for usage errors).
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string_view>

#include "cli/commands.h"
#include "cli/version.h"
#include "common/error.h"
#include "common/log.h"

namespace berth::cli {

std::vector<CommandGroup>& registrars() {
  static std::vector<CommandGroup> all;
  return all;
}

namespace {

// argv's command word: the first argument that is not a global option or its value.
std::string command_word(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--root" || a == "--runroot" || a == "--log-level") {
      ++i;
      continue;
    }
    if (a.starts_with("--root=") || a.starts_with("--runroot=") || a.starts_with("--log-level="))
      continue;
    return a.starts_with("-") ? std::string() : std::string(a);
  }
  return {};
}

// Builds the groups that claim argv's command word, or every group when none claims it.
void add_commands(CLI::App& app, Globals& g, int argc, char** argv) {
  const std::string word = command_word(argc, argv);
  auto claims = [&](const CommandGroup& c) {
    return std::find(c.claims.begin(), c.claims.end(), word) != c.claims.end();
  };
  const auto& all = registrars();
  if (!word.empty() && std::any_of(all.begin(), all.end(), claims)) g.verb = word;
  for (const auto& c : all)
    if (g.verb.empty() || claims(c)) c.add(app, g);
}

void add_globals(CLI::App& app, Globals& g) {
  std::string root, runroot;
  app.add_option("--root", g.paths.root, "Persistent state directory")
      ->envname("BERTH_ROOT")
      ->capture_default_str();
  app.add_option("--runroot", g.paths.runroot, "Runtime state directory (tmpfs)")
      ->envname("BERTH_RUNROOT")
      ->capture_default_str();
  app.add_option("--log-level", g.log_level, "debug, info, warn, error or off")
      ->capture_default_str();
  app.add_option("--insecure-registry", g.insecure_registries,
                 "A registry reached without TLS verification, or over HTTP (repeatable)")
      ->envname("BERTH_INSECURE_REGISTRY");
  app.parse_complete_callback([&g] {
    init_logging(g.log_level);
    // State paths are made absolute once, so that a chdir later changes nothing.
    g.paths.root = std::filesystem::absolute(g.paths.root);
    g.paths.runroot = std::filesystem::absolute(g.paths.runroot);
  });
}

}  // namespace
}  // namespace berth::cli

int main(int argc, char** argv) {
  using namespace berth::cli;
  CLI::App app{"berth: a daemonless, compose-first container engine", "berth"};
  app.require_subcommand(1);
  app.set_version_flag("-v,--version", "berth version " BERTH_VERSION);
  Globals globals;
  add_globals(app, globals);
  add_commands(app, globals, argc, argv);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "berth: " << e.what() << "\nSee 'berth --help'.\n";
    return 125;
  } catch (const berth::Error& e) {
    std::cerr << "Error: " << e.what() << "\n";
    return e.exit_code();
  } catch (const std::exception& e) {
    std::cerr << "Error: internal: " << e.what() << "\n";
    return 125;
  }
  // The command's own objects are gone with its callback. Tearing down the command tree and
  // the static objects would only free memory the kernel is about to drop: a few hundred
  // microseconds on every `run` and `exec`, for nothing.
  std::cout.flush();
  std::fflush(nullptr);
  ::_exit(globals.exit_code);
}
