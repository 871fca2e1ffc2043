// Environment variables as the front ends give them: `-e K=V` / `-e K` and `--env-file`
// (Docker's format: KEY=VALUE lines taken literally, `#` comment lines, a bare KEY taking the
// caller's value), and compose's `environment:` / `env_file: {format: raw}`. One parser of a
// variable and one of an env file, so both front ends resolve the same text to the same pairs.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace berth::request {

using EnvPair = std::pair<std::string, std::string>;
// A variable's value from the caller's environment, nullopt when unset.
using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;

// "K=V" → {K, V}; "K" → {K, lookup(K)}, nullopt when the lookup has none (Docker drops it).
// Throws std::invalid_argument for an empty name or one with whitespace.
std::optional<EnvPair> parse_env_var(std::string_view kv, const EnvLookup& lookup);

// The variables of an env file in order. Throws std::invalid_argument naming `file:line`.
std::vector<EnvPair> parse_env_file(std::string_view text, const std::string& file,
                                    const EnvLookup& lookup);

// The process environment (getenv) as an EnvLookup.
std::optional<std::string> process_env(const std::string& name);

// "K=V" (or "K") → {K, V}. Throws std::invalid_argument for an empty name.
EnvPair parse_label(std::string_view kv);

}  // namespace berth::request
