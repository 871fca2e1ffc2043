// The "error CODE MESSAGE" lines of monitor/protocol.h, as the monitor writes them and the CLI
// reads them (and the other way round on the network socket).
#include "core/monitor/protocol.h"

#include <gtest/gtest.h>

namespace berth::core::monitor {
namespace {

TEST(MonitorProtocol, ErrorMessageRoundTripsOnOneLine) {
  const std::string m = error_message(127, "exec: \"nosuch\": not found\nin $PATH");
  EXPECT_EQ(m, "error 127 exec: \"nosuch\": not found in $PATH");
  auto e = parse_error_message(m);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->code, 127);
  EXPECT_EQ(e->message, "exec: \"nosuch\": not found in $PATH");
}

TEST(MonitorProtocol, ErrorWithoutACodeOrMessageIs125) {
  auto e = parse_error_message("error x");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->code, 125);
  EXPECT_EQ(e->message, "");
  e = parse_error_message("error 0 gone");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->code, 125);
  EXPECT_EQ(e->message, "gone");
}

TEST(MonitorProtocol, OtherLinesAreNotErrors) {
  EXPECT_FALSE(parse_error_message("started 12 13"));
  EXPECT_FALSE(parse_error_message("network {}"));
  EXPECT_FALSE(parse_error_message(""));
}

}  // namespace
}  // namespace berth::core::monitor
