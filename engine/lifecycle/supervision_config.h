// Supervision of a container request (restart policy, --init, stop signal and timeout): stored
// in config.json
// (extensions["supervision"], runtime/supervision.h), shown by `inspect`
// (HostConfig.RestartPolicy, HostConfig.Init) and handed to the monitor in the RuntimeSpec.
#pragma once

#include <string>

#include "core/runtime/spec.h"
#include "core/runtime/supervision.h"
#include "core/state/container.h"
#include "request/supervision.h"

namespace berth::engine::lifecycle {

// Stores the restart policy, --init and the stop signal and timeout in c (c.auto_remove set
// first). Throws Error (125) "Conflicting options: --restart and --rm".
void apply_supervision(const request::Supervision& o, core::state::ContainerConfig& c);

core::runtime::Supervision supervision_of(const core::state::ContainerConfig& c);

// Fills spec.supervision; with --init the process becomes `/dev/init --init -- ARGV...`.
void supervise_spec(const core::state::ContainerConfig& c, core::runtime::RuntimeSpec& spec);

}  // namespace berth::engine::lifecycle
