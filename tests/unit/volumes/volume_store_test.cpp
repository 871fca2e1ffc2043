// VolumeStore on disk and the verbs that derive "in use" from container records
// (volumes/volume_store.h, volumes/volume_ops.h). A temp dir as --root/--runroot: no root.
#include "volumes/volume_store.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "common/error.h"
#include "core/state/container_store.h"
#include "tests/support/harness.h"
#include "volumes/volume_ops.h"

namespace berth::volumes {
namespace {

namespace fs = std::filesystem;

class VolumeStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = berth::test::make_temp_dir("berth-volstore-");
    paths_.root = dir_ / "root";
    paths_.runroot = dir_ / "run";
    paths_.ensure();
  }
  void TearDown() override { fs::remove_all(dir_); }
  // A container record that mounts volume `name`.
  void container_using(const std::string& name, const std::string& cname) {
    core::state::ContainerConfig c;
    c.name = cname;
    c.image = "busybox";
    c.image_id = "sha256:" + std::string(64, '0');
    c.extensions["mounts"] = {{{"Type", "volume"}, {"Name", name}, {"Destination", "/d"}}};
    core::state::ContainerStore(paths_).create(c);
  }
  fs::path dir_;
  Paths paths_;
};

TEST_F(VolumeStoreTest, CreateFindListRemove) {
  VolumeStore s(paths_);
  auto v = s.create("data", {{"a", "b"}});
  EXPECT_EQ(v.mountpoint, paths_.volumes() / "data" / "_data");
  EXPECT_TRUE(fs::is_directory(v.mountpoint));
  EXPECT_FALSE(v.anonymous);
  EXPECT_EQ(s.get("data").labels.at("a"), "b");
  EXPECT_EQ(s.create("data").created_at, v.created_at);  // existing: returned as is
  auto anon = s.create("");
  EXPECT_EQ(anon.name.size(), 64u);
  EXPECT_TRUE(anon.anonymous);
  EXPECT_EQ(s.list().size(), 2u);
  EXPECT_TRUE(s.empty("data"));
  std::ofstream(v.mountpoint / "f") << "x";
  EXPECT_FALSE(s.empty("data"));
  s.remove("data");
  EXPECT_FALSE(s.find("data"));
  EXPECT_THROW(s.get("data"), NotFound);
  EXPECT_THROW(s.create("bad/name"), Error);
  EXPECT_THROW(s.create("okname", {}, {{"nosuch", "1"}}), Error);
}

TEST_F(VolumeStoreTest, RemoveRefusesVolumeInUseEvenForced) {
  VolumeStore(paths_).create("busy");
  container_using("busy", "holder");
  EXPECT_THROW(remove_volume(paths_, "busy", false), Error);
  EXPECT_THROW(remove_volume(paths_, "busy", true), Error);
  EXPECT_THROW(remove_volume(paths_, "nosuch", false), NotFound);
  EXPECT_NO_THROW(remove_volume(paths_, "nosuch", true));
}

TEST_F(VolumeStoreTest, PruneTakesAnonymousUnusedOnlyUnlessAll) {
  VolumeStore s(paths_);
  s.create("named");
  s.create("used");
  auto anon = s.create("");
  auto anon_used = s.create("");
  container_using(anon_used.name, "c1");
  container_using("used", "c2");
  auto r = prune_volumes(paths_, false);
  ASSERT_EQ(r.removed.size(), 1u);
  EXPECT_EQ(r.removed[0], anon.name);
  r = prune_volumes(paths_, true);
  ASSERT_EQ(r.removed.size(), 1u);
  EXPECT_EQ(r.removed[0], "named");
  EXPECT_EQ(s.list().size(), 2u);
  auto u = volume_usage(paths_);
  EXPECT_EQ(u.total, 2);
  EXPECT_EQ(u.active, 2);
}

TEST(VolumeLabels, Filters) {
  std::map<std::string, std::string> l = {{"a", "b"}, {"c", ""}};
  EXPECT_TRUE(matches_labels(l, {"a"}));
  EXPECT_TRUE(matches_labels(l, {"a=b", "c"}));
  EXPECT_FALSE(matches_labels(l, {"a=x"}));
  EXPECT_FALSE(matches_labels(l, {"z"}));
}

}  // namespace
}  // namespace berth::volumes
