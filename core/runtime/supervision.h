// Supervision: what the monitor does around the container's process besides running it —
// Docker's restart policy (--restart no|on-failure[:N]|always|unless-stopped) and --init (a
// small init from berth as PID 1, tiny_init.h). Stored in config.json under
// extensions["supervision"], carried to the monitor in RuntimeSpec.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace berth::core::runtime {

struct RestartPolicy {
  std::string name = "no";  // no, on-failure, always, unless-stopped
  int max_retries = 0;      // on-failure:N (0 = unlimited)
};

// "no", "always", "unless-stopped", "on-failure", "on-failure:3". Throws Error (125) with
// Docker's messages for anything else.
RestartPolicy parse_restart_policy(const std::string& text);

struct Supervision {
  RestartPolicy restart;
  bool init = false;  // --init
};

nlohmann::json to_json(const Supervision& s);
// Missing keys take their defaults (records from before this existed).
Supervision supervision_from_json(const nlohmann::json& j);

}  // namespace berth::core::runtime
