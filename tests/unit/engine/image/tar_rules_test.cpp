#include "engine/image/tar_rules.h"

#include <gtest/gtest.h>

#include "common/error.h"

namespace berth::engine::image {
namespace {

using V = std::vector<std::string>;

TEST(TarRules, NormalisesNames) {
  EXPECT_EQ(entry_components("./etc/passwd"), (V{"etc", "passwd"}));
  EXPECT_EQ(entry_components("/etc//x/"), (V{"etc", "x"}));
  EXPECT_EQ(entry_components("./"), V{});
  EXPECT_EQ(entry_components("/"), V{});
  EXPECT_EQ(entry_components("a/./b"), (V{"a", "b"}));
  EXPECT_EQ(entry_components("..a/b.."), (V{"..a", "b.."}));
}

TEST(TarRules, RefusesDotDotAndNul) {
  EXPECT_THROW(entry_components("../x"), Error);
  EXPECT_THROW(entry_components("a/../../x"), Error);
  EXPECT_THROW(entry_components("a/.."), Error);
  EXPECT_THROW(entry_components(""), Error);
  EXPECT_THROW(entry_components(std::string_view("a\0b", 3)), Error);
}

TEST(TarRules, Whiteouts) {
  std::string target;
  EXPECT_EQ(classify_whiteout("file", &target), WhiteoutKind::kNone);
  EXPECT_EQ(classify_whiteout(".wh..wh..opq", &target), WhiteoutKind::kOpaque);
  EXPECT_EQ(classify_whiteout(".wh..wh.plnk", &target), WhiteoutKind::kMeta);
  EXPECT_EQ(classify_whiteout(".wh.passwd", &target), WhiteoutKind::kFile);
  EXPECT_EQ(target, "passwd");
  EXPECT_EQ(classify_whiteout(".wh..hidden", &target), WhiteoutKind::kFile);
  EXPECT_EQ(target, ".hidden");
}

TEST(TarRules, MaliciousWhiteouts) {
  EXPECT_THROW(classify_whiteout(".wh.", nullptr), Error);
  EXPECT_THROW(classify_whiteout(".wh..", nullptr), Error);
  EXPECT_THROW(classify_whiteout(".wh...", nullptr), Error);
}

TEST(TarRules, SymlinkEscapes) {
  EXPECT_FALSE(symlink_escapes({"a"}, "/etc"));
  EXPECT_FALSE(symlink_escapes({"a", "b"}, "../c"));
  EXPECT_TRUE(symlink_escapes({"a"}, "../x"));
  EXPECT_TRUE(symlink_escapes({"a", "b"}, "../../x"));
  EXPECT_FALSE(symlink_escapes({"a", "b", "c"}, "../../x"));
  EXPECT_TRUE(symlink_escapes({"a", "b"}, "x/../../../y"));
  EXPECT_FALSE(symlink_escapes({"l"}, "busybox"));
}

TEST(TarRules, ResolveLexically) {
  EXPECT_EQ(*resolve_lexically({"a", "b"}, "../c"), (V{"a", "c"}));
  EXPECT_EQ(*resolve_lexically({"a"}, "/x/./y"), (V{"x", "y"}));
  EXPECT_FALSE(resolve_lexically({}, "..").has_value());
  EXPECT_EQ(join_components({}), ".");
  EXPECT_EQ(join_components({"a", "b"}), "a/b");
}

}  // namespace
}  // namespace berth::engine::image
