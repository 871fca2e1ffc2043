// Test helper: the typed request `berth run ARGS...` builds (cli/request), through the same
// CLI11 set-up as the command.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "cli/request/run_flags.h"

namespace berth::cli {

inline request::ContainerRequest request_from_run_args(std::vector<std::string> args) {
  CLI::App app;
  auto* sub = app.add_subcommand("run");
  RunFlags f;
  add_run_flags(sub, f);
  args.insert(args.begin(), "run");
  std::reverse(args.begin(), args.end());  // CLI11 takes them last first
  app.parse(args);
  auto rest = sub->remaining();
  return to_request(f, rest.at(0), std::vector<std::string>(rest.begin() + 1, rest.end()));
}

}  // namespace berth::cli
