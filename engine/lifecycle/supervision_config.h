// Supervision of a container request (restart policy, --init, stop signal and timeout): stored
// in config.json
// (extensions["supervision"], runtime/supervision.h), shown by `inspect`
// (HostConfig.RestartPolicy, HostConfig.Init) and handed to the monitor in the RuntimeSpec.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/runtime/spec.h"
#include "core/runtime/supervision.h"
#include "core/state/container.h"
#include "request/supervision.h"

namespace berth::engine::lifecycle {

// Stores the restart policy, --init and the stop signal and timeout in c (c.auto_remove set
// first). Throws Error (125) "Conflicting options: --restart and --rm".
void apply_supervision(const request::Supervision& o, core::state::ContainerConfig& c);

// The healthcheck: the request's over the image's (image_config: its "config"), Docker's
// checks of the values (Error 125), stored in c as Docker's Config.Healthcheck (["NONE"]
// included, which disables the image's). Nothing is stored when neither has one.
void apply_healthcheck(const std::optional<request::Healthcheck>& o,
                       const nlohmann::json& image_config, core::state::ContainerConfig& c);
// The stored healthcheck (Config.Healthcheck), when there is one.
std::optional<core::runtime::Healthcheck> healthcheck_of(const core::state::ContainerConfig& c);

core::runtime::Supervision supervision_of(const core::state::ContainerConfig& c);

// Fills spec.supervision and spec.health (an enabled healthcheck, Docker's defaults filled in);
// with --init the process becomes `/dev/init --init -- ARGV...`.
void supervise_spec(const core::state::ContainerConfig& c, core::runtime::RuntimeSpec& spec);

}  // namespace berth::engine::lifecycle
