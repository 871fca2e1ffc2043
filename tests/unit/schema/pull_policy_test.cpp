// schema/pull_policy.h: every word of compose-spec's pull_policy, and the durations of every_.
#include "schema/pull_policy.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace berth::schema {
namespace {

using K = PullPolicy::Kind;
using std::chrono::hours;
using std::chrono::seconds;

TEST(PullPolicyParse, Words) {
  EXPECT_EQ(parse_pull_policy("").kind, K::kMissing);
  EXPECT_EQ(parse_pull_policy("missing").kind, K::kMissing);
  EXPECT_EQ(parse_pull_policy("if_not_present").kind, K::kMissing);
  EXPECT_EQ(parse_pull_policy("always").kind, K::kAlways);
  EXPECT_EQ(parse_pull_policy("refresh").kind, K::kAlways);
  EXPECT_EQ(parse_pull_policy("never").kind, K::kNever);
  EXPECT_EQ(parse_pull_policy("build").kind, K::kBuild);
}

TEST(PullPolicyParse, DailyWeeklyAndEvery) {
  EXPECT_EQ(parse_pull_policy("daily"), (PullPolicy{K::kEvery, hours(24)}));
  EXPECT_EQ(parse_pull_policy("weekly"), (PullPolicy{K::kEvery, hours(24 * 7)}));
  EXPECT_EQ(parse_pull_policy("every_12h"), (PullPolicy{K::kEvery, hours(12)}));
  EXPECT_EQ(parse_pull_policy("every_1h30m"), (PullPolicy{K::kEvery, seconds(5400)}));
  EXPECT_EQ(parse_pull_policy("every_90s"), (PullPolicy{K::kEvery, seconds(90)}));
}

TEST(PullPolicyParse, RefusesOtherValues) {
  for (const char* bad : {"Always", "sometimes", "every_", "every_12", "every_-1h", "every_0s",
                          "every_500ms", "every12h", "newer"})
    EXPECT_THROW(parse_pull_policy(bad), std::invalid_argument) << bad;
}

}  // namespace
}  // namespace berth::schema
