// Images whose relative symlinks climb above the layer root (`/etc/evil -> ../../../../tmp/x`),
// as Docker's and containerd's images may have: import and load store them as they are, and
// in a container they resolve against the container's root, never the host's.
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "engine/image/digest.h"
#include "tests/support/harness.h"

namespace berth::test {
namespace {

namespace fs = std::filesystem;

class ClimbingSymlinkImage : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!is_root()) GTEST_SKIP() << "needs root";
    // A host directory the image's symlink names lexically: a container must never see it.
    fs::create_directories(host_dir);
    std::ofstream(host_dir / "secret") << "host secret\n";
    fs::path extra = st.dir() / "extra";
    fs::create_directories(extra / "etc");
    fs::create_directories(extra / "usr/bin");
    fs::create_directories(extra / "data");
    fs::create_symlink("../../../.." + host_dir.string(), extra / "etc/evil");
    // busybox runs as itself when its name starts with "busybox".
    fs::create_symlink("../../../../bin/busybox", extra / "usr/bin/busybox-mysh");
    fs::create_symlink("../../../../.." + host_dir.string(), extra / "data/link");
    tar = st.dir() / "image.tar";
    fs::copy_file(busybox_tar(), tar);
    auto r = run_command({"/usr/bin/tar", "--numeric-owner", "--owner=0", "--group=0", "-rf",
                          tar.string(), "-C", extra.string(), "./etc/evil",
                          "./usr/bin/busybox-mysh", "./data/link"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(host_dir, ec);
  }

  // The checks inside a container of image `ref`.
  void expect_confined(const std::string& ref) {
    auto r = st.berth({"run", "--rm", ref, "readlink", "/etc/evil"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "../../../.." + host_dir.string() + "\n");
    r = st.berth({"run", "--rm", ref, "/usr/bin/busybox-mysh", "echo", "ok"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "ok\n");
    r = st.berth({"run", "--rm", ref, "cat", "/etc/evil/secret"});
    EXPECT_NE(r.exit_code, 0);
    EXPECT_EQ(r.out.find("host secret"), std::string::npos) << r.out;
    // A write through the link lands in the container's own /tmp.
    r = st.berth({"run", "--rm", ref, "sh", "-c",
                  "mkdir -p " + host_dir.string() + " && echo in > /etc/evil/new && cat " +
                      host_dir.string() + "/new"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "in\n");
    EXPECT_FALSE(fs::exists(host_dir / "new"));
  }

  TempState st;
  fs::path host_dir = fs::path("/tmp") / ("berth-climb-" + std::to_string(::getpid()));
  fs::path tar;
};

TEST_F(ClimbingSymlinkImage, ImportsAndResolvesInsideTheContainer) {
  auto r = st.berth({"import", tar.string(), "climb"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  expect_confined("climb");
}

TEST_F(ClimbingSymlinkImage, LoadsAndResolvesInsideTheContainer) {
  std::string layer = read_all(tar);
  std::string diff_id = engine::image::sha256_digest(layer);
  std::string config = nlohmann::json({{"architecture", "amd64"},
                                       {"os", "linux"},
                                       {"config", {{"Cmd", {"sh"}}}},
                                       {"rootfs", {{"type", "layers"}, {"diff_ids", {diff_id}}}}})
                           .dump();
  nlohmann::json manifest = {
      {{"Config", "config.json"}, {"RepoTags", {"climb:loaded"}}, {"Layers", {"l/layer.tar"}}}};
  fs::path dir = st.dir() / "archive";
  fs::create_directories(dir / "l");
  std::ofstream(dir / "config.json") << config;
  std::ofstream(dir / "manifest.json") << manifest.dump();
  fs::copy_file(tar, dir / "l/layer.tar");
  fs::path archive = st.dir() / "archive.tar";
  auto t = run_command({"/usr/bin/tar", "-cf", archive.string(), "-C", dir.string(), "."});
  ASSERT_EQ(t.exit_code, 0) << t.err;
  auto r = st.berth({"load", "-i", archive.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "Loaded image: climb:loaded\n");
  expect_confined("climb:loaded");
}

TEST_F(ClimbingSymlinkImage, VolumeCopyUpKeepsTheLinkAsItIs) {
  ASSERT_EQ(st.berth({"import", tar.string(), "climb"}).exit_code, 0);
  auto r = st.berth({"run", "--rm", "-v", "climbvol:/data", "climb", "readlink", "/data/link"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "../../../../.." + host_dir.string() + "\n");
  fs::path copied = st.root() / "volumes/climbvol/_data/link";
  EXPECT_TRUE(fs::is_symlink(fs::symlink_status(copied)));
  EXPECT_EQ(read_all(host_dir / "secret"), "host secret\n");
  r = st.berth({"run", "--rm", "-v", "climbvol:/data", "climb", "cat", "/data/link/secret"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_EQ(r.out.find("host secret"), std::string::npos);
}

}  // namespace
}  // namespace berth::test
