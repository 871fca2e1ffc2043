// --restart and --init on `create`/`run`: validated, stored in config.json
// (extensions["supervision"], runtime/supervision.h), shown by `inspect`
// (HostConfig.RestartPolicy, HostConfig.Init) and handed to the monitor in the RuntimeSpec.
#pragma once

#include <string>

#include "core/runtime/spec.h"
#include "core/runtime/supervision.h"
#include "core/state/container.h"

namespace berth::engine::lifecycle {

struct SupervisionOptions {
  std::string restart;  // --restart ("" = no)
  bool init = false;    // --init
};

// Throws Error (125): a bad policy, or "Conflicting options: --restart and --rm".
void apply_supervision(const SupervisionOptions& o, core::state::ContainerConfig& c);

core::runtime::Supervision supervision_of(const core::state::ContainerConfig& c);

// Fills spec.supervision; with --init the process becomes `/dev/init --init -- ARGV...`.
void supervise_spec(const core::state::ContainerConfig& c, core::runtime::RuntimeSpec& spec);

}  // namespace berth::engine::lifecycle
