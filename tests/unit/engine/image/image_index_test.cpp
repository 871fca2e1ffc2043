#include "engine/image/image_index.h"
#include "tests/support/harness.h"

#include <gtest/gtest.h>

namespace berth::engine::image {
namespace {

IndexEntry image(const std::string& d) {
  return {d, "application/vnd.oci.image.manifest.v1+json", 10, ""};
}

TEST(ImageIndex, TagMovesBetweenImagesAndOldOneStaysUntagged) {
  ImageIndex idx;
  idx.set_ref(image("sha256:a"), "busybox:latest");
  idx.set_ref(image("sha256:b"), "busybox:latest");
  EXPECT_EQ(idx.lookup("busybox:latest"), "sha256:b");
  EXPECT_TRUE(idx.contains("sha256:a"));
  EXPECT_TRUE(idx.refs_of("sha256:a").empty());
  EXPECT_EQ(idx.images().size(), 2u);
}

TEST(ImageIndex, UntaggedPlaceholderGoesWhenTagged) {
  ImageIndex idx;
  idx.add_untagged(image("sha256:a"));
  idx.add_untagged(image("sha256:a"));
  EXPECT_EQ(idx.entries().size(), 1u);
  idx.set_ref(image("sha256:a"), "x:1");
  idx.set_ref(image("sha256:a"), "x:2");
  EXPECT_EQ(idx.entries().size(), 2u);
  EXPECT_TRUE(idx.remove_ref("x:1"));
  EXPECT_FALSE(idx.remove_ref("x:1"));
  EXPECT_TRUE(idx.remove_ref("x:2"));
  EXPECT_TRUE(idx.contains("sha256:a"));  // untagged now
  idx.remove_image("sha256:a");
  EXPECT_TRUE(idx.entries().empty());
}

TEST(ImageIndex, RoundTripsThroughFile) {
  std::filesystem::path dir = berth::test::make_temp_dir("berth-unit-");
  ImageIndex idx;
  idx.set_ref(image("sha256:a"), "busybox:latest");
  idx.add_untagged(image("sha256:b"));
  idx.write(dir / "index.json");
  auto back = ImageIndex::read(dir / "index.json");
  EXPECT_EQ(back.lookup("busybox:latest"), "sha256:a");
  EXPECT_TRUE(back.contains("sha256:b"));
  EXPECT_TRUE(ImageIndex::read(dir / "missing.json").entries().empty());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace berth::engine::image
