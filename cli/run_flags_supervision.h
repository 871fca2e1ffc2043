// --restart and --init for `run`/`create` (engine/lifecycle/supervision_config.h).
#pragma once

#include <CLI/CLI.hpp>

#include "engine/lifecycle/supervision_config.h"

namespace berth::cli {

void add_supervision_flags(CLI::App* sub, engine::lifecycle::SupervisionOptions& o);

}  // namespace berth::cli
