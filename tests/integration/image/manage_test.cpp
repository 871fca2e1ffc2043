// tag, rmi (Docker's untag/delete rules, in-use refusal), image prune, the `image` group
// aliases and `image inspect` errors.
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/support/harness.h"

namespace berth::test {
namespace {

namespace fs = std::filesystem;

class ManageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!is_root()) GTEST_SKIP() << "needs root";
    auto r = st.berth({"import", busybox_tar().string(), "busybox"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    id = r.out.substr(0, 71);
  }
  // A container record as the container code writes it (the contract in usage.h).
  void fake_container(const std::string& cid, const std::string& image_id) {
    fs::create_directories(st.root() / "containers" / cid);
    std::ofstream(st.root() / "containers" / cid / "config.json")
        << nlohmann::json({{"id", cid}, {"image_id", image_id}}).dump();
  }
  size_t layers() {
    size_t n = 0;
    for (const auto& e : fs::directory_iterator(st.root() / "layers"))
      n += e.path().filename().string().size() == 64;
    return n;
  }
  TempState st;
  std::string id;
};

TEST_F(ManageTest, TagThenRmiUntagsFirstAndDeletesLast) {
  ASSERT_EQ(st.berth({"tag", "busybox", "mine/bb:v2"}).exit_code, 0);
  auto images = st.berth({"images"});
  EXPECT_NE(images.out.find("mine/bb      v2"), std::string::npos) << images.out;
  EXPECT_EQ(st.berth({"images", "-q"}).out, id.substr(7, 12) + "\n");  // one image, two tags
  auto r = st.berth({"rmi", "busybox"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "Untagged: busybox:latest\n");
  EXPECT_EQ(layers(), 1u);
  r = st.berth({"rmi", "mine/bb:v2"});
  EXPECT_EQ(r.out, "Untagged: mine/bb:v2\nDeleted: " + id + "\n");
  EXPECT_EQ(st.berth({"images", "-q"}).out, "");
  EXPECT_EQ(layers(), 0u);
  EXPECT_TRUE(fs::is_empty(st.root() / "images" / "blobs" / "sha256"));
}

TEST_F(ManageTest, RmiByIdWithSeveralTagsNeedsForce) {
  ASSERT_EQ(st.berth({"tag", id.substr(7, 6), "other"}).exit_code, 0);
  auto r = st.berth({"rmi", id.substr(7, 12)});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("image is referenced in multiple repositories"), std::string::npos) << r.err;
  r = st.berth({"rmi", "-f", id.substr(7, 12)});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Deleted: " + id), std::string::npos) << r.out;
}

TEST_F(ManageTest, RmiRefusesImageInUseUnlessForced) {
  fake_container(std::string(64, 'c'), id);
  auto r = st.berth({"rmi", "busybox"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("conflict: unable to remove repository reference \"busybox\" (must force)"
                       " - container cccccccccccc is using its referenced image " +
                       id.substr(7, 12)),
            std::string::npos)
      << r.err;
  EXPECT_EQ(st.berth({"images", "-q"}).out, id.substr(7, 12) + "\n");
  r = st.berth({"rmi", "-f", "busybox"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "Untagged: busybox:latest\n");  // kept for the container, untagged
  EXPECT_EQ(layers(), 1u);
  auto images = st.berth({"images"});
  EXPECT_NE(images.out.find("<none>       <none>"), std::string::npos) << images.out;
}

TEST_F(ManageTest, RmiUnknownImageKeepsGoing) {
  auto r = st.berth({"rmi", "nosuch", "busybox"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "Error: No such image: nosuch\n");
  EXPECT_NE(r.out.find("Deleted: " + id), std::string::npos);
}

TEST_F(ManageTest, InspectUnknownImage) {
  auto r = st.berth({"image", "inspect", "nosuch"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "[]\n");
  EXPECT_EQ(r.err, "Error: No such image: nosuch\n");
}

TEST_F(ManageTest, ResolvesByIdPrefixAndDockerHubName) {
  auto j = nlohmann::json::parse(
      st.berth({"image", "inspect", id.substr(7, 4), id, "docker.io/library/busybox:latest"}).out);
  ASSERT_EQ(j.size(), 3u);
  for (const auto& i : j) EXPECT_EQ(i["Id"], id);
}

// A full ID (what every container start resolves) is found among several images by their
// manifests alone; a full ID that no image has is not found.
TEST_F(ManageTest, ResolvesFullIdAmongSeveralImages) {
  auto r = st.berth({"import", "--change", "ENV X=1", busybox_tar().string(), "other"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string other = r.out.substr(0, 71);
  ASSERT_NE(other, id);
  auto j = nlohmann::json::parse(st.berth({"image", "inspect", other, id}).out);
  ASSERT_EQ(j.size(), 2u);
  EXPECT_EQ(j[0]["Id"], other);
  EXPECT_EQ(j[1]["Id"], id);
  const std::string missing = "sha256:" + std::string(64, 'e');
  EXPECT_EQ(st.berth({"image", "inspect", missing}).err, "Error: No such image: " + missing + "\n");
}

TEST_F(ManageTest, PruneDanglingThenAll) {
  fs::path tar = st.dir() / "other.tar";
  ASSERT_EQ(
      run_command({"/bin/sh", "-c", "gzip -c " + busybox_tar().string() + " > " + tar.string()})
          .exit_code,
      0);
  auto other = st.berth({"import", "--change", "CMD sh", tar.string()});  // untagged
  ASSERT_EQ(other.exit_code, 0) << other.err;
  auto r = st.berth({"image", "prune", "-f"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "Deleted Images:\ndeleted: " + other.out.substr(0, 71) +
                       "\n\nTotal reclaimed space: 0B\n");  // its layer is shared
  EXPECT_EQ(st.berth({"images", "-q"}).out, id.substr(7, 12) + "\n");
  r = st.berth({"image", "prune"}, "n\n");  // asks, and "n" keeps everything
  EXPECT_NE(r.out.find("Are you sure you want to continue? [y/N]"), std::string::npos);
  fake_container("c1", id);
  r = st.berth({"image", "prune", "-a", "-f"});
  EXPECT_EQ(r.out, "Total reclaimed space: 0B\n");  // in use
  fs::remove_all(st.root() / "containers");
  r = st.berth({"image", "prune", "-a"}, "y\n");
  EXPECT_NE(r.out.find("untagged: busybox:latest\ndeleted: " + id), std::string::npos) << r.out;
  EXPECT_EQ(st.berth({"images", "-q"}).out, "");
  EXPECT_EQ(layers(), 0u);
}

TEST_F(ManageTest, ImageGroupAliases) {
  EXPECT_EQ(st.berth({"image", "ls", "-q"}).out, id.substr(7, 12) + "\n");
  EXPECT_EQ(st.berth({"image", "list", "-q"}).out, id.substr(7, 12) + "\n");
  EXPECT_EQ(st.berth({"image", "tag", "busybox", "x:y"}).exit_code, 0);
  EXPECT_EQ(st.berth({"image", "rm", "x:y"}).out, "Untagged: x:y\n");
  EXPECT_EQ(st.berth({"image", "remove", "busybox"}).exit_code, 0);
  EXPECT_EQ(st.berth({"images", "-q"}).out, "");
}

TEST_F(ManageTest, ImagesFilterByRepository) {
  ASSERT_EQ(st.berth({"tag", "busybox", "busybox:2"}).exit_code, 0);
  ASSERT_EQ(st.berth({"tag", "busybox", "other:1"}).exit_code, 0);
  auto r = st.berth({"images", "busybox", "--format", "json"});
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 2) << r.out;
  r = st.berth({"images", "busybox:2", "--format", "json"});
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << r.out;
}

TEST_F(ManageTest, ImagesFilters) {
  auto labelled = st.berth({"import", "-c", "LABEL tier=web", busybox_tar().string()});
  ASSERT_EQ(labelled.exit_code, 0) << labelled.err;
  std::string lid = labelled.out.substr(7, 12);
  EXPECT_EQ(st.berth({"images", "-q", "--filter", "dangling=true"}).out, lid + "\n");
  EXPECT_EQ(st.berth({"images", "-q", "-f", "dangling=false"}).out, id.substr(7, 12) + "\n");
  EXPECT_EQ(st.berth({"images", "-q", "-f", "label=tier=web"}).out, lid + "\n");
  EXPECT_EQ(st.berth({"images", "-q", "-f", "label=tier=db"}).out, "");
  EXPECT_EQ(st.berth({"images", "-q", "-f", "reference=busy*"}).out, id.substr(7, 12) + "\n");
  auto bad = st.berth({"images", "-f", "nope=1"});
  EXPECT_EQ(bad.exit_code, 125);
  EXPECT_EQ(bad.err, "Error: invalid filter 'nope'\n");
}

TEST_F(ManageTest, DamagedImageIsSkippedByListings) {
  auto other = st.berth({"import", "-c", "CMD sh", busybox_tar().string(), "other"});
  ASSERT_EQ(other.exit_code, 0) << other.err;
  fs::remove(st.root() / "images" / "blobs" / "sha256" / other.out.substr(7, 64));
  auto r = st.berth({"images", "-q"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, id.substr(7, 12) + "\n");
  EXPECT_EQ(st.berth({"image", "inspect", id.substr(7, 5)}).exit_code, 0);
}

TEST_F(ManageTest, TagRejectsBadTarget) {
  auto r = st.berth({"tag", "busybox", "Bad:Name"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err,
            "Error: Error parsing reference: \"Bad:Name\" is not a valid repository/tag: invalid "
            "reference format: repository name (library/Bad) must be lowercase\n");
  r = st.berth({"tag", "nosuch", "x"});
  EXPECT_EQ(r.err, "Error: No such image: nosuch\n");
}

}  // namespace
}  // namespace berth::test
