// Cgroup path logic on a fake cgroupfs (plain directories in a temp dir): v1 with one
// hierarchy per controller (plus the named/unified ones to ignore), and v2.
#include "core/runtime/cgroups.h"

#include <gtest/gtest.h>

#include <fstream>

#include "common/error.h"
#include "tests/support/harness.h"

namespace berth::core::runtime {
namespace {

namespace fs = std::filesystem;

class CgroupsTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = berth::test::make_temp_dir("berth-cgtest-"); }
  void TearDown() override { fs::remove_all(dir_); }
  void controller(const std::string& name) {
    fs::create_directories(dir_ / name);
    std::ofstream(dir_ / name / "cgroup.procs");
  }
  std::string read(const fs::path& p) {
    std::ifstream in(p);
    std::string s;
    std::getline(in, s);
    return s;
  }
  fs::path dir_;
};

TEST_F(CgroupsTest, V1OneCgroupPerController) {
  for (const char* c : {"cpu", "memory", "pids", "systemd", "unified", "cpuset"}) controller(c);
  std::ofstream(dir_ / "cpuset" / "cpuset.cpus") << "0-1\n";
  std::ofstream(dir_ / "cpuset" / "cpuset.mems") << "0\n";
  fs::create_symlink("cpu", dir_ / "cpuacct");  // "cpu,cpuacct" style co-mount
  Cgroups cg(dir_);
  EXPECT_EQ(cg.version(), Cgroups::Version::kV1);
  EXPECT_EQ(cg.controllers(), (std::vector<std::string>{"cpu", "cpuset", "memory", "pids"}));
  cg.create("abc");
  for (const char* c : {"cpu", "cpuset", "memory", "pids"})
    EXPECT_TRUE(fs::is_directory(dir_ / c / "berth" / "abc")) << c;
  EXPECT_FALSE(fs::exists(dir_ / "systemd" / "berth"));
  EXPECT_EQ(read(dir_ / "cpuset" / "berth" / "cpuset.cpus"), "0-1");
  EXPECT_EQ(read(dir_ / "cpuset" / "berth" / "abc" / "cpuset.mems"), "0");
  EXPECT_EQ(cg.path_for("abc", "memory"), dir_ / "memory" / "berth" / "abc");
  EXPECT_THROW(cg.path_for("abc", "hugetlb"), Error);
  cg.add_pid("abc", 1234);
  EXPECT_EQ(read(dir_ / "pids" / "berth" / "abc" / "cgroup.procs"), "1234");
  EXPECT_EQ(cg.remove("abc"), "");
  for (const char* c : {"cpu", "cpuset", "memory", "pids"})
    EXPECT_FALSE(fs::exists(dir_ / c / "berth" / "abc")) << c;
  EXPECT_EQ(cg.remove("abc"), "");  // already gone is fine
}

// Hierarchies of controllers berth never limits nor reads get no cgroup per container: each
// would cost every start a mkdir, a join and an rmdir.
TEST_F(CgroupsTest, V1UnusedControllersGetNoCgroup) {
  for (const char* c : {"blkio", "devices", "freezer", "hugetlb", "misc", "net_cls,net_prio",
                        "perf_event", "pids", "rdma"})
    controller(c);
  Cgroups cg(dir_);
  EXPECT_EQ(cg.controllers(), (std::vector<std::string>{"blkio", "devices", "freezer", "pids"}));
  cg.create("abc");
  EXPECT_FALSE(fs::exists(dir_ / "perf_event" / "berth"));
  EXPECT_FALSE(fs::exists(dir_ / "net_cls,net_prio" / "berth"));
  EXPECT_TRUE(fs::is_directory(dir_ / "freezer" / "berth" / "abc"));
}

// A systemd host: "cpu" and "cpuacct" both link to the one "cpu,cpuacct" hierarchy, and a link
// may name its target absolutely.
TEST_F(CgroupsTest, V1CoMountedControllersCountOnce) {
  controller("cpu,cpuacct");
  controller("pids");
  fs::create_symlink("cpu,cpuacct", dir_ / "cpu");
  fs::create_symlink(dir_ / "cpu,cpuacct", dir_ / "cpuacct");
  Cgroups cg(dir_);
  EXPECT_EQ(cg.controllers(), (std::vector<std::string>{"cpu,cpuacct", "pids"}));
  EXPECT_EQ(cg.path_for("abc", "cpuacct"), dir_ / "cpu,cpuacct" / "berth" / "abc");
  // The other names, for the container's /sys/fs/cgroup (cgroup_mount.h).
  using Alias = std::pair<std::string, std::string>;
  EXPECT_EQ(cg.aliases(), (std::vector<Alias>{{"cpu", "cpu,cpuacct"}, {"cpuacct", "cpu,cpuacct"}}));
}

TEST_F(CgroupsTest, V2SingleTreeWithDelegation) {
  std::ofstream(dir_ / "cgroup.controllers") << "cpuset cpu io memory pids\n";
  std::ofstream(dir_ / "cgroup.subtree_control");
  Cgroups cg(dir_);
  EXPECT_EQ(cg.version(), Cgroups::Version::kV2);
  EXPECT_EQ(cg.paths("abc"), (std::vector<fs::path>{dir_ / "berth" / "abc"}));
  cg.create("abc");
  EXPECT_TRUE(fs::is_directory(dir_ / "berth" / "abc"));
  EXPECT_TRUE(fs::exists(dir_ / "berth" / "cgroup.subtree_control"));
  EXPECT_EQ(cg.path_for("abc", "memory"), dir_ / "berth" / "abc");
  cg.add_pid("abc", 1);  // v2 joins at clone time: nothing written
  EXPECT_FALSE(fs::exists(dir_ / "berth" / "abc" / "cgroup.procs"));
  EXPECT_EQ(cg.remove("abc"), "");
  EXPECT_FALSE(fs::exists(dir_ / "berth" / "abc"));
}

}  // namespace
}  // namespace berth::core::runtime
