// `cp`'s arguments, as Docker's and Compose's splitCpArg read them: "NAME:PATH" names a
// container (or a service) unless the text is a local path.
#include "cli/request/cp_args.h"

#include <gtest/gtest.h>

namespace berth::cli {
namespace {

TEST(CpArgs, NameColonPathIsAContainerPath) {
  auto a = split_cp_arg("web:/tmp/x");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->first, "web");
  EXPECT_EQ(a->second, "/tmp/x");
  a = split_cp_arg("web:rel:with:colons");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->first, "web");
  EXPECT_EQ(a->second, "rel:with:colons");
  a = split_cp_arg("web:");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->second, "");
}

TEST(CpArgs, LocalPathsStayLocal) {
  EXPECT_FALSE(split_cp_arg("/abs/a:b"));
  EXPECT_FALSE(split_cp_arg("./file:name.txt"));
  EXPECT_FALSE(split_cp_arg("../up:x"));
  EXPECT_FALSE(split_cp_arg("plain.txt"));
  EXPECT_FALSE(split_cp_arg(":nothing"));
  EXPECT_FALSE(split_cp_arg(""));
  EXPECT_FALSE(split_cp_arg("-"));
}

}  // namespace
}  // namespace berth::cli
