#include "common/timestamps.h"

#include <gtest/gtest.h>

#include <vector>

namespace berth {
namespace {

// utc_time is gmtime_r without the time zone file: the same fields for every second tried,
// from before 1900 to after 2100, around the epoch, leap days and century years.
TEST(Timestamps, UtcTimeMatchesGmtime) {
  std::vector<time_t> secs = {0,           -1,           1,           86399,     86400,
                              -86400,      -86401,       951782400,   951868800, 4107542400,
                              -2208988800, 253402300799, -62135596800};
  for (time_t t = -3000000000; t < 5000000000; t += 86400 * 7 + 3607) secs.push_back(t);
  for (time_t t : secs) {
    tm want{};
    ASSERT_NE(::gmtime_r(&t, &want), nullptr) << t;
    const tm got = utc_time(t);
    EXPECT_EQ(got.tm_year, want.tm_year) << t;
    EXPECT_EQ(got.tm_mon, want.tm_mon) << t;
    EXPECT_EQ(got.tm_mday, want.tm_mday) << t;
    EXPECT_EQ(got.tm_hour, want.tm_hour) << t;
    EXPECT_EQ(got.tm_min, want.tm_min) << t;
    EXPECT_EQ(got.tm_sec, want.tm_sec) << t;
    EXPECT_EQ(got.tm_wday, want.tm_wday) << t;
    EXPECT_EQ(got.tm_yday, want.tm_yday) << t;
    if (HasFailure()) return;
  }
}

TEST(Timestamps, FormatTrimsTrailingZeros) {
  EXPECT_EQ(format_rfc3339_nano({0, 0}), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_rfc3339_nano({1796000000, 500000000}), "2026-11-30T00:53:20.5Z");
  EXPECT_EQ(format_rfc3339_nano({1796000000, 123456789}), "2026-11-30T00:53:20.123456789Z");
}

TEST(Timestamps, ParseRoundTripAndOffsets) {
  auto t = parse_rfc3339("2026-11-30T00:53:20.123456789Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->tv_sec, 1796000000);
  EXPECT_EQ(t->tv_nsec, 123456789);
  auto o = parse_rfc3339("2026-11-30T01:53:20+01:00");
  ASSERT_TRUE(o);
  EXPECT_EQ(o->tv_sec, 1796000000);
  EXPECT_TRUE(parse_rfc3339(kZeroTime));
  EXPECT_LT(parse_rfc3339(kZeroTime)->tv_sec, 0);
  EXPECT_FALSE(parse_rfc3339("yesterday"));
  EXPECT_FALSE(parse_rfc3339("2026-11-30"));
}

// Every formatted instant parses back to itself: leap days, the turn of centuries, the ends
// of the nanosecond range.
TEST(Timestamps, FormatParseRoundTrip) {
  const time_t secs[] = {0,
                         1,
                         951782400 /* 2000-02-29 */,
                         4107542399 /* 2100-02-28T23:59:59 */,
                         1796000000,
                         2147483647,
                         253402300799 /* 9999-12-31T23:59:59 */};
  const long nanos[] = {0, 1, 10, 999999999, 500000000, 123456789};
  for (time_t s : secs) {
    for (long ns : nanos) {
      const timespec ts{s, ns};
      const std::string text = format_rfc3339_nano(ts);
      auto back = parse_rfc3339(text);
      ASSERT_TRUE(back) << text;
      EXPECT_EQ(back->tv_sec, s) << text;
      EXPECT_EQ(back->tv_nsec, ns) << text;
    }
  }
}

TEST(Timestamps, Since) {
  timespec now{1796000000, 0};
  EXPECT_EQ(parse_since("10m", now)->tv_sec, 1796000000 - 600);
  EXPECT_EQ(parse_since("1h30m", now)->tv_sec, 1796000000 - 5400);
  EXPECT_EQ(parse_since("1700000000.5", now)->tv_sec, 1700000000);
  EXPECT_EQ(parse_since("1700000000.5", now)->tv_nsec, 500000000);
  EXPECT_EQ(parse_since("1970-01-02", now)->tv_sec, 86400);
  EXPECT_FALSE(parse_since("soon", now));
}

TEST(Timestamps, HumanDuration) {
  EXPECT_EQ(human_duration(0.3), "Less than a second");
  EXPECT_EQ(human_duration(1), "1 second");
  EXPECT_EQ(human_duration(5), "5 seconds");
  EXPECT_EQ(human_duration(60), "About a minute");
  EXPECT_EQ(human_duration(125), "2 minutes");
  EXPECT_EQ(human_duration(3600), "About an hour");
  EXPECT_EQ(human_duration(5 * 3600), "5 hours");
  EXPECT_EQ(human_duration(3 * 86400), "3 days");
  EXPECT_EQ(human_duration(15 * 86400), "2 weeks");
  EXPECT_EQ(human_duration(90 * 86400), "3 months");
  EXPECT_EQ(human_duration(800 * 86400), "2 years");
}

// Docker rounds the hours (int(d.Hours() + 0.5)).
TEST(Timestamps, HumanDurationRoundsHoursAsDocker) {
  EXPECT_EQ(human_duration(5399), "About an hour");
  EXPECT_EQ(human_duration(5400), "2 hours");
  EXPECT_EQ(human_duration(47 * 3600 + 1800), "2 days");
}

}  // namespace
}  // namespace berth
