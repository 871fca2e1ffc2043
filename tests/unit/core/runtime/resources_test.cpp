// Resource limits: the cross-field checks, sysctl names and the files written on a fake
// cgroupfs, v1 and v2 (the v2 path can only be tested this way on the v1 CI hosts).
#include "core/runtime/resources.h"

#include <gtest/gtest.h>

#include <fstream>

#include "common/error.h"
#include "core/runtime/device_rules.h"
#include "core/runtime/rootfs_hardening.h"
#include "tests/support/harness.h"

namespace berth::core::runtime {
namespace {

namespace fs = std::filesystem;

TEST(Resources, DockersCrossChecks) {
  ResourceSpec r;
  r.memory = 1 << 20;
  EXPECT_THROW(validate_resources(r), Error);  // < 6 MB
  r.memory = 64 << 20;
  r.memory_swap = 32 << 20;
  EXPECT_THROW(validate_resources(r), Error);  // swap total below memory
  r.memory_swap = 0;
  r.nano_cpus = 1'000'000'000'000;
  EXPECT_THROW(validate_resources(r), Error);  // more CPUs than the host has
}

TEST(Resources, OnlyNamespacedSysctls) {
  EXPECT_NO_THROW(validate_sysctl("net.ipv4.ip_forward"));
  EXPECT_NO_THROW(validate_sysctl("kernel.shmmax"));
  EXPECT_NO_THROW(validate_sysctl("kernel.sem"));
  EXPECT_NO_THROW(validate_sysctl("fs.mqueue.msg_max"));
  EXPECT_THROW(validate_sysctl("kernel.panic"), Error);
  EXPECT_THROW(validate_sysctl("vm.swappiness"), Error);
  SecuritySpec s;
  s.sysctls["net.ipv4.conf.all.forwarding"] = "1";
  auto h = build_rootfs_hardening(s);
  EXPECT_EQ(h.sysctl_files.at(0), "/proc/sys/net/ipv4/conf/all/forwarding");
}

class FakeCgroupfs : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = berth::test::make_temp_dir("berth-restest-"); }
  void TearDown() override { fs::remove_all(dir_); }
  std::string read(const fs::path& p) {
    std::ifstream in(p);
    std::string s, all;
    while (std::getline(in, s)) all += s + "\n";
    return all;
  }
  fs::path dir_;
};

TEST_F(FakeCgroupfs, V1WritesEachControllersFiles) {
  for (const char* c : {"cpu", "memory", "pids", "cpuset", "devices"}) {
    fs::create_directories(dir_ / c / "berth" / "c1");
    std::ofstream(dir_ / c / "cgroup.procs");
  }
  std::ofstream(dir_ / "memory/berth/c1/memory.memsw.limit_in_bytes");
  Cgroups cg(dir_);
  ResourceSpec r;
  r.memory = 64 << 20;
  r.nano_cpus = 500'000'000;
  r.cpu_shares = 512;
  r.cpuset_cpus = "0";
  apply_resources(cg, "c1", r, false);
  EXPECT_EQ(read(dir_ / "memory/berth/c1/memory.limit_in_bytes"), "67108864\n");
  EXPECT_EQ(read(dir_ / "memory/berth/c1/memory.memsw.limit_in_bytes"), "134217728\n");
  EXPECT_EQ(read(dir_ / "cpu/berth/c1/cpu.cfs_quota_us"), "50000\n");
  EXPECT_EQ(read(dir_ / "cpu/berth/c1/cpu.cfs_period_us"), "100000\n");
  EXPECT_EQ(read(dir_ / "cpu/berth/c1/cpu.shares"), "512\n");
  EXPECT_EQ(read(dir_ / "cpuset/berth/c1/cpuset.cpus"), "0\n");
  EXPECT_EQ(read(dir_ / "pids/berth/c1/pids.max"), "2048\n");
  // One open, one write per rule (the kernel parses each write alone): a plain file gets
  // them end to end.
  EXPECT_EQ(read(dir_ / "devices/berth/c1/devices.deny"), "a\n");
  std::string rules;
  for (const auto& rule : default_device_rules()) rules += v1_rule_text(rule);
  EXPECT_EQ(read(dir_ / "devices/berth/c1/devices.allow"), rules + "\n");
  EXPECT_NE(rules.find("c 10:229 rwm"), std::string::npos);
  std::ofstream(dir_ / "memory/berth/c1/memory.oom_control")
      << "oom_kill_disable 0\nunder_oom 0\noom_kill 1\n";
  EXPECT_TRUE(oom_killed(cg, "c1"));
}

TEST_F(FakeCgroupfs, V1SwapLimitWithoutKernelSupportIsAnError) {
  fs::create_directories(dir_ / "memory" / "berth" / "c1");
  std::ofstream(dir_ / "memory" / "cgroup.procs");
  Cgroups cg(dir_);
  ResourceSpec r;
  r.memory = 64 << 20;
  EXPECT_NO_THROW(apply_resources(cg, "c1", r, false));  // implicit swap: skipped
  r.memory_swap = 128 << 20;
  EXPECT_THROW(apply_resources(cg, "c1", r, false), Error);
}

TEST_F(FakeCgroupfs, V2UnifiedFiles) {
  std::ofstream(dir_ / "cgroup.controllers") << "cpu memory pids\n";
  fs::create_directories(dir_ / "berth" / "c1");
  for (const char* f : {"memory.swap.max", "pids.max"}) std::ofstream(dir_ / "berth/c1" / f);
  Cgroups cg(dir_);
  ASSERT_EQ(cg.version(), Cgroups::Version::kV2);
  ResourceSpec r;
  r.memory = 64 << 20;
  r.memory_swap = -1;
  r.nano_cpus = 1'500'000'000;
  r.cpu_shares = 1024;
  r.pids_limit = -1;
  apply_resources(cg, "c1", r, false);
  EXPECT_EQ(read(dir_ / "berth/c1/memory.max"), "67108864\n");
  EXPECT_EQ(read(dir_ / "berth/c1/memory.swap.max"), "max\n");
  EXPECT_EQ(read(dir_ / "berth/c1/cpu.max"), "150000 100000\n");
  EXPECT_EQ(read(dir_ / "berth/c1/cpu.weight"), "39\n");
  EXPECT_EQ(read(dir_ / "berth/c1/pids.max"), "max\n");
  EXPECT_FALSE(oom_killed(cg, "c1"));
  std::ofstream(dir_ / "berth/c1/memory.events") << "low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n";
  EXPECT_TRUE(oom_killed(cg, "c1"));
}

}  // namespace
}  // namespace berth::core::runtime
