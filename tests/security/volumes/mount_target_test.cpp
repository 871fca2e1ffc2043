// Hostile images against mount targets (CVE-2021-30465 class): a target that is, or passes
// through, a symlink to a host path, to ../../.., or a dangling symlink must be refused or
// confined to the container's rootfs; nothing on the host may change. And a read-only bind
// of the host's / must stay read-only inside, submounts included.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tests/support/harness.h"

namespace berth::test {
namespace {

namespace fs = std::filesystem;

class MountTargetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!is_root()) GTEST_SKIP() << "needs root";
    canary_ = st_.dir() / "host-canary";
    fs::create_directories(canary_);
    // busybox plus the hostile links, imported as image "hostile".
    const fs::path rootfs = st_.dir() / "rootfs";
    fs::create_directories(rootfs);
    ASSERT_EQ(
        run_command({"/bin/tar", "-xf", busybox_tar().string(), "-C", rootfs.string()}).exit_code,
        0);
    fs::create_symlink("/etc", rootfs / "to-etc");
    fs::create_symlink(canary_, rootfs / "to-host");
    // (A relative "../../.." that climbs above the layer: see the last test.)
    fs::create_symlink("/../../../../../../../.." + canary_.string(), rootfs / "to-dotdot");
    fs::create_symlink("/nonexistent-berth-target/dir", rootfs / "dangling");
    const fs::path tar = st_.dir() / "hostile.tar";
    ASSERT_EQ(run_command({"/bin/tar", "-cf", tar.string(), "-C", rootfs.string(), "."}).exit_code,
              0);
    auto r = st_.berth({"import", tar.string(), "hostile"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    src_ = st_.dir() / "src";
    fs::create_directories(src_);
    std::ofstream(src_ / "marker") << "from-host-bind\n";
  }
  bool canary_untouched() const { return fs::is_empty(canary_); }

  TempState st_;
  fs::path canary_, src_;
};

TEST_F(MountTargetTest, SymlinkToEtcIsConfinedToTheContainersEtc) {
  auto r = st_.berth({"run", "--rm", "-v", src_.string() + ":/to-etc/berth-sub", "hostile", "cat",
                      "/etc/berth-sub/marker"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "from-host-bind\n");
  EXPECT_FALSE(fs::exists("/etc/berth-sub"));
}

// The link's target does not exist inside the image: inside the rootfs it is dangling, so the
// mount is refused; either way nothing is created on the host.
TEST_F(MountTargetTest, SymlinkToAHostPathIsRefusedAndHostUnchanged) {
  for (const char* link : {"/to-host/sub", "/to-dotdot/sub", "/to-host", "/to-dotdot"}) {
    auto r = st_.berth({"run", "--rm", "-v", src_.string() + ":" + link, "hostile", "true"});
    EXPECT_EQ(r.exit_code, 125) << link;
    EXPECT_NE(r.err.find("dangling symlink"), std::string::npos) << link << ": " << r.err;
    EXPECT_TRUE(canary_untouched()) << link;
  }
  auto r = st_.berth({"run", "--rm", "-v", "vol:/to-host", "hostile", "true"});
  EXPECT_EQ(r.exit_code, 125);
  EXPECT_TRUE(canary_untouched());
}

TEST_F(MountTargetTest, DanglingSymlinkComponentIsRefused) {
  for (const char* target : {"/dangling", "/dangling/sub"}) {
    auto r = st_.berth({"run", "--rm", "-v", src_.string() + ":" + target, "hostile", "true"});
    EXPECT_EQ(r.exit_code, 125) << target;
    EXPECT_NE(r.err.find("dangling"), std::string::npos) << r.err;
  }
  EXPECT_FALSE(fs::exists("/nonexistent-berth-target"));
}

TEST_F(MountTargetTest, CopyUpReadsTheImageNotTheHostThroughSymlinks) {
  // Filled from the image at /to-etc -> /etc: the image's /etc (passwd, group), resolved in
  // the image; never the host's /etc.
  auto r = st_.berth({"run", "--rm", "-v", "cu:/to-etc", "hostile", "ls", "/to-etc"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const fs::path data = st_.root() / "volumes" / "cu" / "_data";
  EXPECT_TRUE(fs::exists(data / "passwd"));
  EXPECT_FALSE(fs::exists(data / "os-release"));
  EXPECT_FALSE(fs::exists(data / "shadow"));
}

TEST_F(MountTargetTest, ReadOnlyBindOfRootStaysReadOnlyWithSubmounts) {
  st_.import_busybox();
  const std::string inside = "/host" + canary_.string() + "/x";
  auto r = st_.berth({"run", "--rm", "-v", "/:/host:ro", "busybox", "sh", "-c",
                      "touch " + inside +
                          " 2>&1; touch /host/dev/shm/berth-ro-test 2>&1; "
                          "touch /host/run/berth-ro-test 2>&1; true"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  for (const std::string& where :
       {inside, std::string("/host/dev/shm/"), std::string("/host/run/")})
    EXPECT_NE(r.out.find(where.substr(0, where.rfind('/') + 1)), std::string::npos) << r.out;
  size_t erofs = 0;
  for (size_t at = 0; (at = r.out.find("Read-only file system", at)) != std::string::npos; ++at)
    ++erofs;
  EXPECT_EQ(erofs, 3u) << r.out;
  EXPECT_TRUE(canary_untouched());
  EXPECT_FALSE(fs::exists("/dev/shm/berth-ro-test"));
  EXPECT_FALSE(fs::exists("/run/berth-ro-test"));
  auto mounts = st_.berth({"run", "--rm", "-v", "/:/host:ro", "busybox", "sh", "-c",
                           "grep ' /host' /proc/mounts | grep -v ' ro[ ,]' | wc -l"});
  EXPECT_EQ(mounts.out, "0\n") << mounts.err;
}

// A relative link climbing above the layer is image data (containerd stores it too): it is
// imported as it is, and as a mount target it resolves inside the rootfs, where it dangles.
TEST_F(MountTargetTest, RelativeDotDotSymlinkLeavingTheImageIsConfined) {
  const fs::path rootfs = st_.dir() / "rootfs2";
  fs::create_directories(rootfs / "deep" / "a");
  ASSERT_EQ(
      run_command({"/bin/tar", "-xf", busybox_tar().string(), "-C", rootfs.string()}).exit_code, 0);
  const std::string link = "../../../../../../../.." + canary_.string();
  fs::create_symlink(link, rootfs / "deep" / "a" / "up");
  const fs::path tar = st_.dir() / "hostile2.tar";
  ASSERT_EQ(run_command({"/bin/tar", "-cf", tar.string(), "-C", rootfs.string(), "."}).exit_code,
            0);
  auto r = st_.berth({"import", tar.string(), "hostile2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = st_.berth({"run", "--rm", "hostile2", "readlink", "/deep/a/up"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, link + "\n");
  for (const char* target : {"/deep/a/up/sub", "/deep/a/up"}) {
    r = st_.berth({"run", "--rm", "-v", src_.string() + ":" + target, "hostile2", "true"});
    EXPECT_EQ(r.exit_code, 125) << target;
    EXPECT_NE(r.err.find("dangling symlink"), std::string::npos) << target << ": " << r.err;
    EXPECT_TRUE(canary_untouched()) << target;
  }
  r = st_.berth({"run", "--rm", "-v", "vol2:/deep/a/up", "hostile2", "true"});
  EXPECT_EQ(r.exit_code, 125);
  EXPECT_TRUE(canary_untouched());
}

}  // namespace
}  // namespace berth::test
