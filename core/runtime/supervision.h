// Supervision: what the monitor does around the container's process besides running it —
// Docker's restart policy (--restart no|on-failure[:N]|always|unless-stopped) and --init (a
// small init from berth as PID 1, tiny_init.h). Stored in config.json under
// extensions["supervision"], carried to the monitor in RuntimeSpec.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "request/supervision.h"

namespace berth::core::runtime {

using request::RestartPolicy;  // parsed by request::parse_restart_policy

struct Supervision {
  RestartPolicy restart;
  bool init = false;  // --init
};

nlohmann::json to_json(const Supervision& s);
// Missing keys take their defaults (records from before this existed).
Supervision supervision_from_json(const nlohmann::json& j);

}  // namespace berth::core::runtime
