#include "common/strings.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace berth {
namespace {

using Parts = std::vector<std::string>;

TEST(Split, KeepsEmptyPieces) {
  EXPECT_EQ(split("a:b:c", ':'), (Parts{"a", "b", "c"}));
  EXPECT_EQ(split("a::b", ':'), (Parts{"a", "", "b"}));
  EXPECT_EQ(split(":a:", ':'), (Parts{"", "a", ""}));
  EXPECT_EQ(split("", ':'), (Parts{""}));
  EXPECT_EQ(split(":", ':'), (Parts{"", ""}));
  EXPECT_EQ(split("abc", ':'), (Parts{"abc"}));
}

TEST(Split, MultiCharacterSeparator) {
  EXPECT_EQ(split("a::b::c", "::"), (Parts{"a", "b", "c"}));
  EXPECT_EQ(split("a:::b", "::"), (Parts{"a", ":b"}));
  EXPECT_EQ(split("::", "::"), (Parts{"", ""}));
}

TEST(Trim, BothEnds) {
  EXPECT_EQ(trim("  a b \t\r\n"), "a b");
  EXPECT_EQ(trim(""), "");
  EXPECT_EQ(trim(" \t\n"), "");
  EXPECT_EQ(trim("x"), "x");
  EXPECT_EQ(trim("--x--", "-"), "x");
}

TEST(Trim, EndOnly) {
  EXPECT_EQ(trim_end(" max\n"), " max");
  EXPECT_EQ(trim_end("\n \n"), "");
  EXPECT_EQ(trim_end("a\nb\n", "\n"), "a\nb");
  EXPECT_EQ(trim_end(""), "");
}

}  // namespace
}  // namespace berth
