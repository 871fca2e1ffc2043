// `-p/--publish` (repeatable) and `-P/--publish-all` for run and create.
#pragma once

#include <CLI/CLI.hpp>

#include "engine/lifecycle/container_ports.h"

namespace berth::cli {

void add_port_flags(CLI::App* sub, engine::lifecycle::PortOptions& o);

}  // namespace berth::cli
