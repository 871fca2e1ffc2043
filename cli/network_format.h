// What `network ls` and `network inspect` print: Docker's table, -q IDs, --format json (one
// object per line, Docker's keys), and the inspect array (4-space indent) or -f template.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "common/paths.h"

namespace berth::cli {

struct NetworkListFlags {
  bool quiet = false;
  bool no_trunc = false;
  std::string format;
  std::vector<std::string> filters;  // name=, id=, label=K[=V], driver=
};

void print_networks(const Paths& paths, const NetworkListFlags& flags, std::ostream& out);
// Returns the exit code: 1 when a network was not found (after printing the others).
int inspect_networks(const Paths& paths, const std::vector<std::string>& refs,
                     const std::string& format, std::ostream& out);

}  // namespace berth::cli
