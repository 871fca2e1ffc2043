// How `run`/`create` flags combine with an image's config (Docker's rules), as pure functions:
//   * command: the CMD/ENTRYPOINT table — args after IMAGE replace CMD; --entrypoint replaces
//     ENTRYPOINT and drops the image's CMD; --entrypoint "" clears it; argv = ENTRYPOINT + CMD.
//   * environment: image Env, then --env-file lines, then -e, later keys winning; "K" alone
//     takes the caller's value (and is dropped when unset); PATH defaults as in Docker.
//   * labels: image labels, then -l.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace berth::engine::lifecycle {

inline constexpr const char* kDefaultPathEnv =
    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

struct Command {
  std::vector<std::string> entrypoint;
  std::vector<std::string> cmd;
  std::vector<std::string> argv() const;
};

// image_config: the OCI config's "config" object (may be null). entrypoint: --entrypoint
// when given. Throws Error("No command specified", 125) when argv would be empty.
Command resolve_command(const nlohmann::json& image_config, const std::vector<std::string>& args,
                        const std::optional<std::string>& entrypoint);

// Lines of an --env-file: "K=V" kept verbatim, "K" looked up with getenv, blank and "#"
// lines skipped. Throws Error (125) naming file:line for a line with an empty key or spaces
// in the key.
std::vector<std::string> parse_env_file(const std::string& text, const std::string& file);

// image env, then each of `overrides` in order (files then -e), later keys replacing earlier
// ones in place. "K" without "=" is expanded from the caller's environment via getenv.
std::vector<std::string> merge_env(const std::vector<std::string>& image_env,
                                   const std::vector<std::string>& overrides);

// The value of key in a "K=V" list, nullopt when absent.
std::optional<std::string> env_value(const std::vector<std::string>& env, const std::string& key);

// "K=V" (or "K") → {K, V}. Throws Error (125) for an empty key.
std::pair<std::string, std::string> parse_label(const std::string& kv);

}  // namespace berth::engine::lifecycle
