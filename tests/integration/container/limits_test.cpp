// Resource flags land in the container's cgroups (v1 on these hosts; v2 is unit-tested on a
// fake cgroupfs) and in inspect's HostConfig; bad values fail at create with Docker's words.
#include <gtest/gtest.h>

#include <fstream>

#include "tests/integration/container/container_helpers.h"

namespace berth::test {
namespace {

std::string cgroup_file(const std::string& controller, const std::string& id,
                        const std::string& file) {
  std::ifstream in("/sys/fs/cgroup/" + controller + "/berth/" + id + "/" + file);
  std::string s;
  std::getline(in, s);
  return s;
}

TEST(Limits, FlagsAreWrittenToTheCgroupsAndShownByInspect) {
  if (!is_root()) GTEST_SKIP() << "needs root";
  if (std::filesystem::exists("/sys/fs/cgroup/cgroup.controllers")) GTEST_SKIP() << "v1 only";
  TempState st;
  st.import_busybox();
  auto r = st.berth({"run", "-d", "--name", "lim", "-m", "64m", "--cpus", "0.5", "--cpu-shares",
                     "512", "--cpuset-cpus", "0", "--pids-limit", "100", "busybox", "sleep", "30"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string id = trim(r.out);
  EXPECT_EQ(cgroup_file("memory", id, "memory.limit_in_bytes"), "67108864");
  EXPECT_EQ(cgroup_file("cpu", id, "cpu.cfs_quota_us"), "50000");
  EXPECT_EQ(cgroup_file("cpu", id, "cpu.cfs_period_us"), "100000");
  EXPECT_EQ(cgroup_file("cpu", id, "cpu.shares"), "512");
  EXPECT_EQ(cgroup_file("cpuset", id, "cpuset.cpus"), "0");
  EXPECT_EQ(cgroup_file("pids", id, "pids.max"), "100");
  auto hc = inspect(st, "lim")["HostConfig"];
  EXPECT_EQ(hc["Memory"], 64 * 1024 * 1024);
  EXPECT_EQ(hc["NanoCpus"], 500000000);
  EXPECT_EQ(hc["CpuShares"], 512);
  EXPECT_EQ(hc["CpusetCpus"], "0");
  EXPECT_EQ(hc["PidsLimit"], 100);
  EXPECT_EQ(hc["Privileged"], false);
  EXPECT_EQ(hc["MaskedPaths"].size(), 10u);
}

TEST(Limits, BadValuesFailAtCreate) {
  if (!is_root()) GTEST_SKIP() << "needs root";
  TempState st;
  st.import_busybox();
  auto small = st.berth({"create", "-m", "1m", "busybox", "true"});
  EXPECT_EQ(small.exit_code, 125);
  EXPECT_NE(small.err.find("Minimum memory limit allowed is 6MB"), std::string::npos);
  auto cpus = st.berth({"create", "--cpus", "1000", "busybox", "true"});
  EXPECT_EQ(cpus.exit_code, 125);
  EXPECT_NE(cpus.err.find("range of CPUs"), std::string::npos) << cpus.err;
  auto ulimit = st.berth({"create", "--ulimit", "nofile=10:5", "busybox", "true"});
  EXPECT_EQ(ulimit.exit_code, 125);
  auto opt = st.berth({"create", "--security-opt", "bogus", "busybox", "true"});
  EXPECT_EQ(opt.exit_code, 125);
  EXPECT_NE(opt.err.find("invalid --security-opt"), std::string::npos) << opt.err;
  EXPECT_EQ(trim(st.berth({"ps", "-aq"}).out), "");  // nothing half-made
}

}  // namespace
}  // namespace berth::test
