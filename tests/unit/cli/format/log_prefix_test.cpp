#include "cli/format/log_prefix.h"

#include <gtest/gtest.h>

namespace berth::cli::format {
namespace {

TEST(LogPrefix, ComposeNamesDropTheProjectOnlyFromDefaultNames) {
  EXPECT_EQ(log_name("demo-web-1", "demo", "web", 1), "web-1");
  EXPECT_EQ(log_name("demo-web-12", "demo", "web", 12), "web-12");
  EXPECT_EQ(log_name("my-db", "demo", "db", 1), "my-db") << "container_name is kept whole";
  EXPECT_EQ(log_name("demo-web-1", "demo", "web", 2), "demo-web-1") << "not its default name";
}

TEST(LogPrefix, PaddedToTheLongestNamePlusOne) {
  LogPrefixer p({"web-1", "client-1"}, false, true);
  EXPECT_EQ(p.prefix(0), "web-1     | ");
  EXPECT_EQ(p.prefix(1), "client-1  | ");
  LogPrefixer one({"web-1"}, false, true);
  EXPECT_EQ(one.prefix(0), "web-1  | ");
}

TEST(LogPrefix, LinesAreWholeWithOneNewline) {
  LogPrefixer p({"web-1"}, false, true);
  EXPECT_EQ(p.line(0, "hello\n", ""), "web-1  | hello\n");
  EXPECT_EQ(p.line(0, "no newline", ""), "web-1  | no newline\n");
  EXPECT_EQ(p.line(0, "hi\n", "2026-12-07T18:00:00.5Z"), "web-1  | 2026-12-07T18:00:00.5Z hi\n");
  EXPECT_EQ(p.status(0, "exited with code 3"), "web-1 exited with code 3\n");
}

TEST(LogPrefix, NoPrefixLeavesTheTextAlone) {
  LogPrefixer p({"web-1", "client-1"}, true, false);
  EXPECT_EQ(p.line(1, "hello\n", ""), "hello\n");
}

TEST(LogPrefix, ColoursFollowComposesRainbowInOrder) {
  EXPECT_STREQ(log_colour(0), "36");
  EXPECT_STREQ(log_colour(1), "33");
  EXPECT_STREQ(log_colour(2), "32");
  EXPECT_STREQ(log_colour(3), "35");
  EXPECT_STREQ(log_colour(4), "34");
  EXPECT_STREQ(log_colour(5), "36;1");
  EXPECT_STREQ(log_colour(9), "34;1");
  EXPECT_STREQ(log_colour(10), "36") << "and round again";
  LogPrefixer p({"web-1", "client-1"}, true, true);
  EXPECT_EQ(p.prefix(0), "\033[36mweb-1     | \033[0m");
  EXPECT_EQ(p.prefix(1), "\033[33mclient-1  | \033[0m");
  EXPECT_EQ(p.status(1, "exited with code 0"), "\033[33mclient-1 exited with code 0\033[0m\n");
}

}  // namespace
}  // namespace berth::cli::format
