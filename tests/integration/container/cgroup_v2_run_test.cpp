// A whole container on the cgroup v2 path, on a v1 host: BERTH_CGROUP_ROOT points every berth
// command at a private cgroup2 mount (support/private_cgroup2.h). The monitor clones the init
// straight into <root>/berth/<id> (CLONE_INTO_CGROUP) after attaching the device program;
// `exec` joins the same cgroup, `pause` freezes it with cgroup.freeze, `rm -f` removes it.
#include <gtest/gtest.h>
#include <stdlib.h>

#include "tests/integration/container/container_helpers.h"
#include "tests/support/private_cgroup2.h"

namespace berth::test {
namespace {

namespace fs = std::filesystem;

// Sets BERTH_CGROUP_ROOT for the test's berth commands; unset when destroyed.
struct CgroupRootEnv {
  explicit CgroupRootEnv(const fs::path& root) {
    if (!root.empty()) ::setenv("BERTH_CGROUP_ROOT", root.c_str(), 1);
  }
  ~CgroupRootEnv() { ::unsetenv("BERTH_CGROUP_ROOT"); }
};

class CgroupV2Run : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!is_root()) GTEST_SKIP() << "needs root";
    if (!cg2_.ok()) GTEST_SKIP() << cg2_.error();
    st_.import_busybox();
  }
  // Declared in this order so that st_ (rm -f of every container) goes first, with the
  // variable still set, and the private mount last.
  PrivateCgroup2 cg2_;
  CgroupRootEnv env_{cg2_.ok() ? cg2_.root() : fs::path()};
  TempState st_;
};

TEST_F(CgroupV2Run, ContainerRunsInItsV2CgroupWithTheDeviceProgram) {
  auto r = st_.berth({"run", "--rm", "busybox", "sh", "-c",
                      "cat /proc/self/cgroup; head -c 3 /dev/zero | wc -c; "
                      "mknod /tmp/sda b 8 0 && echo made; cat /tmp/sda 2>&1; true"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Its own cgroup namespace, rooted at <root>/berth/<id>, as Docker's on v2 (the v1 lines of
  // a hybrid host come first).
  EXPECT_NE(r.out.find("0::/\n"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("berth"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("3\nmade\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Operation not permitted"), std::string::npos) << r.out;
}

TEST_F(CgroupV2Run, ExecPauseAndRemoveUseTheV2Cgroup) {
  auto r = st_.berth({"run", "-d", "--name", "box", "busybox", "sleep", "1000"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string id = trim(r.out);
  const fs::path dir = cg2_.root() / "berth" / id;
  ASSERT_TRUE(fs::exists(dir / "cgroup.procs"));
  r = st_.berth({"exec", "box", "cat", "/proc/self/cgroup"});
  // (The v1 lines of a hybrid host are the monitor's: v1 joins are not made on this path.)
  // In the container's cgroup namespace, rooted at its cgroup, like the init.
  EXPECT_NE(r.out.find("0::/\n"), std::string::npos) << r.out << r.err;
  EXPECT_NE(read_file_text(dir / "cgroup.procs"), "");
  ASSERT_EQ(st_.berth({"pause", "box"}).exit_code, 0);
  EXPECT_NE(read_file_text(dir / "cgroup.events").find("frozen 1"), std::string::npos);
  EXPECT_EQ(inspect(st_, "box")["State"]["Status"], "paused");
  ASSERT_EQ(st_.berth({"unpause", "box"}).exit_code, 0);
  EXPECT_NE(read_file_text(dir / "cgroup.events").find("frozen 0"), std::string::npos);
  r = st_.berth({"rm", "-f", "box"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(fs::exists(dir));
}

TEST_F(CgroupV2Run, SysFsCgroupIsTheContainersOwnReadOnlyCgroup2) {
  auto r = st_.berth({"run", "-d", "--name", "box", "busybox", "sleep", "1000"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string id = trim(r.out);
  r = st_.berth({"exec", "box", "sh", "-c",
                 "grep ' /sys/fs/cgroup ' /proc/mounts; ls /sys/fs/cgroup | grep -c berth; "
                 "head -1 /sys/fs/cgroup/cgroup.procs; mkdir /sys/fs/cgroup/x"});
  EXPECT_EQ(r.out.rfind("cgroup2 /sys/fs/cgroup cgroup2 ro,", 0), 0u) << r.out << r.err;
  // No sibling container nor berth's subtree: the namespace root is the container's cgroup,
  // whose first process is the container's pid 1.
  EXPECT_NE(r.out.find("\n0\n1\n"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("Read-only file system"), std::string::npos) << r.err;
  EXPECT_TRUE(std::filesystem::exists(cg2_.root() / "berth" / id / "cgroup.procs"));
}

}  // namespace
}  // namespace berth::test
