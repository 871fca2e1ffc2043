// The isolation and resource flags of `create`/`run`: --cap-add, --cap-drop,
// --privileged, --security-opt, --read-only, --sysctl, --memory, --memory-swap, --cpus,
// --cpu-shares, --cpuset-cpus, --pids-limit, --ulimit. Validation happens in
// engine/lifecycle/harden_options.cpp at create time.
#pragma once

#include <CLI/CLI.hpp>

#include "engine/lifecycle/harden_options.h"

namespace berth::cli {

void add_harden_flags(CLI::App* sub, engine::lifecycle::HardenFlags& f);

}  // namespace berth::cli
