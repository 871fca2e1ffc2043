#include "core/monitor/restart_policy.h"

#include <gtest/gtest.h>

#include "common/error.h"
#include "request/supervision.h"

namespace berth::core::monitor {
namespace {

using namespace std::chrono_literals;
using core::state::StopRequest;
using request::parse_restart_policy;

bool restarts(const std::string& policy, int code, int count, StopRequest r = StopRequest::kNone) {
  return should_restart(parse_restart_policy(policy), code, count, r);
}

TEST(RestartPolicy, DockersRules) {
  EXPECT_FALSE(restarts("no", 1, 0));
  EXPECT_TRUE(restarts("always", 0, 50));
  EXPECT_TRUE(restarts("always", 137, 0, StopRequest::kKill));
  EXPECT_FALSE(restarts("always", 143, 0, StopRequest::kStop));
  EXPECT_TRUE(restarts("unless-stopped", 0, 3));
  EXPECT_FALSE(restarts("unless-stopped", 137, 0, StopRequest::kKill));
  EXPECT_FALSE(restarts("on-failure", 0, 0));
  EXPECT_TRUE(restarts("on-failure", 1, 100));
  EXPECT_TRUE(restarts("on-failure:2", 1, 1));
  EXPECT_FALSE(restarts("on-failure:2", 1, 2));
  EXPECT_TRUE(restarts("on-failure", 137, 0, StopRequest::kKill));
  EXPECT_FALSE(restarts("on-failure", 1, 0, StopRequest::kStop));
}

TEST(RestartPolicy, ParseErrorsAreDockers) {
  EXPECT_EQ(parse_restart_policy("").name, "no");
  EXPECT_EQ(parse_restart_policy("on-failure:5").max_retries, 5);
  try {
    parse_restart_policy("sometimes");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "invalid restart policy 'sometimes'");
  }
  EXPECT_THROW(parse_restart_policy("always:3"), std::invalid_argument);
  EXPECT_THROW(parse_restart_policy("on-failure:x"), std::invalid_argument);
  EXPECT_THROW(parse_restart_policy("on-failure:-1"), std::invalid_argument);
}

TEST(RestartBackoff, DoublesToAMinuteAndResetsAfterTenSeconds) {
  RestartBackoff b;
  EXPECT_EQ(b.next(1s), 100ms);
  EXPECT_EQ(b.next(1s), 200ms);
  EXPECT_EQ(b.next(1s), 400ms);
  for (int i = 0; i < 20; ++i) b.next(0s);
  EXPECT_EQ(b.next(0s), 60000ms);
  EXPECT_EQ(b.next(10s), 100ms);
  EXPECT_EQ(b.next(9s), 200ms);
}

}  // namespace
}  // namespace berth::core::monitor
