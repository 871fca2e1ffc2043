// A container's health as its healthcheck's results move it (Docker's daemon/health.go
// rules), and its JSON in state.json.
#include "core/state/health.h"

#include <gtest/gtest.h>

namespace berth::core::state {
namespace {

HealthResult result(int code, std::string output = "") {
  return {"2026-01-01T00:00:00Z", "2026-01-01T00:00:01Z", code, std::move(output)};
}

TEST(Health, StartingUntilTheFirstSuccess) {
  Health h;
  EXPECT_EQ(h.status, kHealthStarting);
  record_health_result(h, result(1), false, 3);
  EXPECT_EQ(h.status, kHealthStarting);
  EXPECT_EQ(h.failing_streak, 1);
  record_health_result(h, result(0), false, 3);
  EXPECT_EQ(h.status, kHealthHealthy);
  EXPECT_EQ(h.failing_streak, 0);
}

TEST(Health, UnhealthyAfterRetriesFailuresInARow) {
  Health h;
  record_health_result(h, result(0), false, 2);
  record_health_result(h, result(1), false, 2);
  EXPECT_EQ(h.status, kHealthHealthy);  // one failure is not enough
  record_health_result(h, result(1), false, 2);
  EXPECT_EQ(h.status, kHealthUnhealthy);
  EXPECT_EQ(h.failing_streak, 2);
  record_health_result(h, result(0), false, 2);
  EXPECT_EQ(h.status, kHealthHealthy);
  EXPECT_EQ(h.failing_streak, 0);
}

TEST(Health, FailuresInTheStartPeriodDoNotCountWhileStarting) {
  Health h;
  for (int i = 0; i < 5; ++i) record_health_result(h, result(1), true, 1);
  EXPECT_EQ(h.status, kHealthStarting);
  EXPECT_EQ(h.failing_streak, 0);
  record_health_result(h, result(1), false, 1);
  EXPECT_EQ(h.status, kHealthUnhealthy);
}

TEST(Health, FailuresInTheStartPeriodCountOnceHealthy) {
  Health h;
  record_health_result(h, result(0), true, 1);
  record_health_result(h, result(1), true, 1);
  EXPECT_EQ(h.status, kHealthUnhealthy);
}

TEST(Health, KeepsTheLastFiveResultsAndCutsTheirOutput) {
  Health h;
  for (int i = 0; i < 7; ++i)
    record_health_result(h, result(i == 6 ? 0 : 1, std::to_string(i)), false, 10);
  ASSERT_EQ(h.log.size(), kHealthLogEntries);
  EXPECT_EQ(h.log.front().output, "2");
  EXPECT_EQ(h.log.back().output, "6");
  record_health_result(h, result(0, std::string(10000, 'x')), false, 10);
  EXPECT_EQ(h.log.back().output.size(), kHealthOutputMax);
}

TEST(Health, JsonIsDockers) {
  Health h;
  record_health_result(h, result(-1, "Health check exceeded timeout (1s)"), false, 1);
  const auto j = to_json(h);
  EXPECT_EQ(j["Status"], "unhealthy");
  EXPECT_EQ(j["FailingStreak"], 1);
  EXPECT_EQ(j["Log"][0]["ExitCode"], -1);
  EXPECT_EQ(j["Log"][0]["Start"], "2026-01-01T00:00:00Z");
  EXPECT_EQ(j["Log"][0]["Output"], "Health check exceeded timeout (1s)");
  EXPECT_EQ(health_from_json(j), h);
}

}  // namespace
}  // namespace berth::core::state
