// What the monitor hands the init for /sys/fs/cgroup (cgroup_mount.h), on a fake cgroupfs:
// v1, the container's own cgroup per hierarchy under the hierarchy's name, aliases as links;
// v2, nothing but the cgroup2 mount.
#include "core/runtime/cgroup_mount.h"

#include <gtest/gtest.h>

#include <fstream>

namespace berth::core::runtime {
namespace {

namespace fs = std::filesystem;

class CgroupMountTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/berth-cgmount-XXXXXX";
    dir_ = ::mkdtemp(tmpl);
  }
  void TearDown() override { fs::remove_all(dir_); }
  void controller(const std::string& name) {
    fs::create_directories(dir_ / name);
    std::ofstream(dir_ / name / "cgroup.procs");
  }
  fs::path dir_;
};

TEST_F(CgroupMountTest, V1BindsTheContainersCgroupsReadOnly) {
  controller("cpu,cpuacct");
  controller("memory");
  controller("systemd");
  fs::create_symlink("cpu,cpuacct", dir_ / "cpu");
  fs::create_symlink("cpu,cpuacct", dir_ / "cpuacct");
  const Cgroups cg(dir_);
  const CgroupMountStrings strings(cg, "abc", false);
  const InitCgroupMounts m = strings.plan();
  EXPECT_FALSE(m.v2);
  EXPECT_FALSE(m.writable);
  ASSERT_EQ(m.n, 2u);
  EXPECT_EQ(std::string(m.names[0]), "cpu,cpuacct");
  EXPECT_EQ(std::string(m.sources[0]), (dir_ / "cpu,cpuacct" / "berth" / "abc").string());
  EXPECT_EQ(std::string(m.names[1]), "memory");
  EXPECT_EQ(std::string(m.sources[1]), (dir_ / "memory" / "berth" / "abc").string());
  ASSERT_EQ(m.nlinks, 2u);
  EXPECT_EQ(std::string(m.links[0]), "cpu");
  EXPECT_EQ(std::string(m.links[1]), "cpu,cpuacct");
  EXPECT_EQ(std::string(m.links[2]), "cpuacct");
  EXPECT_EQ(std::string(m.links[3]), "cpu,cpuacct");
}

TEST_F(CgroupMountTest, V2MountsCgroup2OnlyAndPrivilegedIsWritable) {
  std::ofstream(dir_ / "cgroup.controllers") << "memory pids\n";
  const Cgroups cg(dir_);
  const CgroupMountStrings strings(cg, "abc", true);
  const InitCgroupMounts m = strings.plan();
  EXPECT_TRUE(m.v2);
  EXPECT_TRUE(m.writable);
  EXPECT_EQ(m.n, 0u);
  EXPECT_EQ(m.nlinks, 0u);
}

}  // namespace
}  // namespace berth::core::runtime
