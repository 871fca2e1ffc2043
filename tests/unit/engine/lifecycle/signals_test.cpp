#include "engine/lifecycle/signals.h"

#include <gtest/gtest.h>
#include <signal.h>

#include "common/error.h"

namespace berth::engine::lifecycle {
namespace {

TEST(Signals, NamesAndNumbers) {
  EXPECT_EQ(parse_signal("SIGTERM"), SIGTERM);
  EXPECT_EQ(parse_signal("term"), SIGTERM);
  EXPECT_EQ(parse_signal("KILL"), SIGKILL);
  EXPECT_EQ(parse_signal("usr1"), SIGUSR1);
  EXPECT_EQ(parse_signal("9"), 9);
  EXPECT_THROW(parse_signal("SIGNOPE"), Error);
  EXPECT_THROW(parse_signal("0"), Error);
  EXPECT_THROW(parse_signal("999"), Error);
}

}  // namespace
}  // namespace berth::engine::lifecycle
