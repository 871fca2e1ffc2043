// Resource limits seen from inside real containers: a fork bomb stays inside its pids
// limit, a memory hog is OOM-killed (inspect: OOMKilled true) while the host goes on, and a
// ulimit that cannot be granted fails with a message instead of being dropped silently.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include "tests/security/runtime/runtime_helpers.h"

namespace berth::test {
namespace {

class Limits : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!is_root()) GTEST_SKIP() << "needs root";
    st_.import_busybox();
  }
  TempState st_;
};

TEST_F(Limits, ForkBombStaysInsideItsPidsLimit) {
  // A subshell forks sleepers until fork fails; PID 1 then counts the container's processes
  // with shell builtins only (no fork left) and kills them. The host is untouched.
  auto r = st_.berth({"run", "--rm", "--pids-limit", "30", "busybox", "sh", "-c",
                      "(while :; do sleep 30 & done) 2>/dev/null; set -- /proc/[0-9]*; "
                      "echo $#; kill -9 -1"},
                     "", 120);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  int seen = std::atoi(r.out.c_str());
  EXPECT_GT(seen, 10) << r.out << r.err;
  EXPECT_LE(seen, 30) << r.out;
  EXPECT_EQ(st_.berth({"run", "--rm", "busybox", "true"}).exit_code, 0);
}

TEST_F(Limits, DefaultPidsLimitIs2048) {
  auto d = st_.berth({"run", "-d", "--name", "pl", "busybox", "sleep", "30"});
  ASSERT_EQ(d.exit_code, 0) << d.err;
  std::string id = d.out.substr(0, 64);
  std::ifstream max("/sys/fs/cgroup/pids/berth/" + id + "/pids.max");
  std::string value;
  max >> value;
  EXPECT_EQ(value, "2048");
  EXPECT_EQ(inspect_one(st_, "pl")["HostConfig"]["PidsLimit"], 2048);
}

TEST_F(Limits, MemoryHogIsOomKilledAndTheHostIsFine) {
  // tail buffers /dev/zero's one endless line: it grows until the 16 MiB limit kills it.
  auto r = st_.berth(
      {"run", "--name", "hog", "-m", "16m", "--memory-swap", "16m", "busybox", "tail", "/dev/zero"},
      "", 120);
  EXPECT_EQ(r.exit_code, 137) << r.err;
  auto j = inspect_one(st_, "hog");
  EXPECT_EQ(j["State"]["OOMKilled"], true);
  EXPECT_EQ(j["State"]["ExitCode"], 137);
  EXPECT_EQ(j["HostConfig"]["Memory"], 16 * 1024 * 1024);
  auto after = st_.berth({"run", "--rm", "busybox", "echo", "fine"});
  EXPECT_EQ(after.out, "fine\n");
  st_.berth({"run", "--name", "calm", "-m", "16m", "busybox", "true"});
  EXPECT_EQ(inspect_one(st_, "calm")["State"]["OOMKilled"], false);
}

TEST_F(Limits, UlimitBelowTheHardLimitIsApplied) {
  auto r = st_.berth({"run", "--rm", "--ulimit", "nofile=256:512", "busybox", "sh", "-c",
                      "ulimit -Sn; ulimit -Hn"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "256\n512\n");
}

TEST_F(Limits, UlimitAboveTheHardLimitFailsClearly) {
  rlimit cur{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &cur), 0);
  if (cur.rlim_max == RLIM_INFINITY) GTEST_SKIP() << "no hard limit to exceed";
  const std::string too_high = std::to_string(cur.rlim_max + 1);
  auto r = st_.berth(
      {"run", "--rm", "--ulimit", "nofile=" + too_high + ":" + too_high, "busybox", "true"});
  // With CAP_SYS_RESOURCE the kernel allows it; without, berth refuses with the reason.
  if (r.exit_code == 0) GTEST_SKIP() << "this host grants CAP_SYS_RESOURCE";
  EXPECT_EQ(r.exit_code, 125);
  EXPECT_NE(r.err.find("cannot raise the hard limit"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("CAP_SYS_RESOURCE"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace berth::test
