// A container's health (Docker's State.Health): the status its healthcheck gives it, the
// failing streak and the last results. The monitor (monitor/health_monitor.h) runs the check
// and records each result with record_health_result(), whose rules are Docker's
// (daemon/health.go): "starting" until the first success, failures inside the start period
// not counted, "unhealthy" after `retries` failures in a row. Kept in state.json.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace berth::core::state {

inline constexpr const char* kHealthStarting = "starting";
inline constexpr const char* kHealthHealthy = "healthy";
inline constexpr const char* kHealthUnhealthy = "unhealthy";
// Docker keeps the last 5 results, each with at most 4096 bytes of output.
inline constexpr size_t kHealthLogEntries = 5;
inline constexpr size_t kHealthOutputMax = 4096;

struct HealthResult {
  std::string start, end;  // RFC3339Nano
  int exit_code = 0;       // 0 healthy; -1: the check could not run or timed out
  std::string output;
  bool operator==(const HealthResult&) const = default;
};

struct Health {
  std::string status = kHealthStarting;
  int failing_streak = 0;
  std::vector<HealthResult> log;
  bool operator==(const Health&) const = default;
};

// Appends r (dropping the oldest beyond 5) and moves the status: a success makes it healthy
// and ends the streak; a failure counts unless the status is still starting and the check
// began inside the start period (in_start_period), and `retries` of them make it unhealthy.
void record_health_result(Health& h, HealthResult r, bool in_start_period, int retries);

// Docker's JSON: {"Status", "FailingStreak", "Log": [{"Start", "End", "ExitCode", "Output"}]}.
nlohmann::json to_json(const Health& h);
Health health_from_json(const nlohmann::json& j);

}  // namespace berth::core::state
