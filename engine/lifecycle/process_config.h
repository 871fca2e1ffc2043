// How a container request combines with an image's config (Docker's rules), as pure functions:
//   * command: the CMD/ENTRYPOINT table — a command replaces CMD; an entrypoint replaces
//     ENTRYPOINT and drops the image's CMD; an empty one clears it; argv = ENTRYPOINT + CMD.
//   * environment: image Env, then the request's pairs, later keys winning; PATH defaults as
//     in Docker.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "request/env.h"

namespace berth::engine::lifecycle {

inline constexpr const char* kDefaultPathEnv =
    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

struct Command {
  std::vector<std::string> entrypoint;
  std::vector<std::string> cmd;
  std::vector<std::string> argv() const;
};

// image_config: the OCI config's "config" object (may be null). command and entrypoint as the
// request gives them (request::Process). Throws Error("No command specified", 125) when argv
// would be empty.
Command resolve_command(const nlohmann::json& image_config,
                        const std::optional<std::vector<std::string>>& command,
                        const std::optional<std::vector<std::string>>& entrypoint);

// image env, then each of `overrides` in order (resolved by the front end: env files, then -e),
// later keys replacing earlier ones in place; PATH defaulted as Docker does.
std::vector<std::string> merge_env(const std::vector<std::string>& image_env,
                                   const std::vector<request::EnvPair>& overrides);

// The value of key in a "K=V" list, nullopt when absent.
std::optional<std::string> env_value(const std::vector<std::string>& env, const std::string& key);

}  // namespace berth::engine::lifecycle
