// /sys/fs/cgroup inside a container on a cgroup v1 host, as Docker shows it: a read-only
// tmpfs holding one read-only bind of the container's own cgroup per hierarchy, so runtimes
// that size themselves from it (Node's and the JVM's heap) see the container's limits and
// nothing of the host's other cgroups. (The v2 layout: cgroup_v2_run_test.cpp.)
#include <gtest/gtest.h>

#include "tests/integration/container/container_helpers.h"

namespace berth::test {
namespace {

class CgroupMount : public ::testing::Test {
 protected:
  void SetUp() override {
    BERTH_NEED_ROOT();
    if (!std::filesystem::exists("/sys/fs/cgroup/memory/cgroup.procs"))
      GTEST_SKIP() << "needs a cgroup v1 memory hierarchy";
    st_.import_busybox();
  }
  RunResult run_sh(const std::vector<std::string>& flags, const std::string& script) {
    std::vector<std::string> args = {"run", "--rm"};
    args.insert(args.end(), flags.begin(), flags.end());
    args.insert(args.end(), {"busybox", "sh", "-c", script});
    return st_.berth(args);
  }
  TempState st_;
};

TEST_F(CgroupMount, MemoryLimitIsReadableInside) {
  auto r = run_sh({"-m", "256m"}, "cat /sys/fs/cgroup/memory/memory.limit_in_bytes");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "268435456\n");
}

TEST_F(CgroupMount, EveryHierarchyIsTheContainersOwnAndReadOnly) {
  // The container's own cgroup: its procs are the container's (pid 1 is the shell).
  auto r = run_sh({},
                  "cat /sys/fs/cgroup/pids/cgroup.procs | head -1; "
                  "ls /sys/fs/cgroup/memory | grep -c -e '^berth$' -e '^[0-9a-f]\\{64\\}$'; "
                  "ls -d /sys/fs/cgroup/cpu /sys/fs/cgroup/cpuacct /sys/fs/cgroup/devices");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "1\n0\n/sys/fs/cgroup/cpu\n/sys/fs/cgroup/cpuacct\n/sys/fs/cgroup/devices\n");
  r = run_sh({},
             "echo 1 > /sys/fs/cgroup/memory/memory.limit_in_bytes; "
             "mkdir /sys/fs/cgroup/memory/x; mkdir /sys/fs/cgroup/y; "
             "grep ' /sys/fs/cgroup' /proc/mounts | grep -vc ' ro,'");
  EXPECT_EQ(r.out, "0\n") << r.err;
  EXPECT_EQ(count_lines(r.err), 3) << r.err;
  EXPECT_NE(r.err.find("Read-only file system"), std::string::npos) << r.err;
}

TEST_F(CgroupMount, PrivilegedGetsItWritable) {
  auto r = run_sh({"--privileged"}, "grep ' /sys/fs/cgroup/memory ' /proc/mounts");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find(" rw,"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace berth::test
