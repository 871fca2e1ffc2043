// A container's healthcheck (Docker's HealthConfig, request::Healthcheck): its JSON as Docker
// writes it (image config and `inspect`'s Config.Healthcheck, zero fields left out), the merge
// of a request over the image's, and what the monitor runs. Stored in config.json under
// extensions["healthcheck"] and carried to the monitor in RuntimeSpec::health.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "request/container_request.h"

namespace berth::core::runtime {

using request::Healthcheck;

// Docker's defaults for the fields left at 0.
inline constexpr int64_t kHealthDefaultInterval = 30'000'000'000;
inline constexpr int64_t kHealthDefaultTimeout = 30'000'000'000;
inline constexpr int64_t kHealthDefaultStartInterval = 5'000'000'000;
inline constexpr int kHealthDefaultRetries = 3;

// {"Test", "Interval", "Timeout", "StartPeriod", "StartInterval", "Retries"} (nanoseconds);
// zero and empty fields are left out, as Docker's omitempty.
nlohmann::json to_docker_json(const Healthcheck& h);
// From an image config's or a record's Healthcheck; missing fields are 0.
Healthcheck healthcheck_from_docker_json(const nlohmann::json& j);

// Docker's merge (daemon/commit.go): the request's non-empty fields over the image's.
Healthcheck merge_healthcheck(const Healthcheck& request, const Healthcheck& image);

// Whether h runs anything: a test that is neither empty nor ["NONE"].
bool healthcheck_enabled(const Healthcheck& h);

// The command a check runs: ["CMD", args...] → args; ["CMD-SHELL", cmd] → /bin/sh -c cmd.
// Empty for a test of any other form.
std::vector<std::string> probe_argv(const Healthcheck& h);

// h with Docker's defaults in its zero fields.
Healthcheck with_defaults(Healthcheck h);

}  // namespace berth::core::runtime
