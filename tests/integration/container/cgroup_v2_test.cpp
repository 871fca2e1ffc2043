// The cgroup v2 code path on a real cgroup2 filesystem (support/private_cgroup2.h), as far as a
// v1 host allows: the layout Cgroups detects and creates, joining a cgroup at clone time with
// clone3(CLONE_INTO_CGROUP) as the monitor does, the freezer (cgroup.freeze is a core file,
// not a controller), and limits that need a controller the mount lacks failing clearly.
// memory.max, memory.swap.max, cpu.max, cpu.weight, cpuset.cpus and pids.max themselves need
// their controllers: they stay covered by the fake-cgroupfs unit tests only.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

#include "common/atomic_file.h"
#include "common/error.h"
#include "core/runtime/cgroups.h"
#include "core/runtime/freezer.h"
#include "core/runtime/resources.h"
#include "sys/syscalls.h"
#include "sys/unique_fd.h"
#include "tests/support/harness.h"
#include "tests/support/private_cgroup2.h"

namespace berth::test {
namespace {

namespace fs = std::filesystem;
using core::runtime::Cgroups;

std::string slurp(const fs::path& p) {
  auto text = read_file_if_exists(p);
  return text ? *text : std::string();
}

class CgroupV2 : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!is_root()) GTEST_SKIP() << "needs root";
    if (!cg2_.ok()) GTEST_SKIP() << cg2_.error();
  }
  // A child that sleeps until killed, cloned straight into dir (CLONE_INTO_CGROUP).
  pid_t clone_into(const fs::path& dir) {
    sys::UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    EXPECT_TRUE(fd) << dir;
    clone_args args{};
    args.flags = CLONE_INTO_CGROUP;
    args.exit_signal = SIGCHLD;
    args.cgroup = static_cast<uint64_t>(fd.get());
    long pid = sys::clone3(&args);
    if (pid == 0) {
      for (;;) ::pause();
    }
    EXPECT_GT(pid, 0) << std::strerror(static_cast<int>(-pid));
    return static_cast<pid_t>(pid);
  }
  // A cgroup `prefix-…` made by cg, with a sleeper cloned into it (pid 0 when that failed).
  struct Member {
    std::string id;
    fs::path dir;
    pid_t pid = 0;
  };
  Member start_member(Cgroups& cg, const std::string& prefix) {
    Member m{unique_name(prefix), {}, 0};
    cg.create(m.id);
    m.dir = cg.paths(m.id).front();
    m.pid = clone_into(m.dir);
    return m;
  }
  void reap(pid_t pid) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
  }
  PrivateCgroup2 cg2_;
};

TEST_F(CgroupV2, LayoutIsDetectedAndMadeOnARealCgroup2) {
  Cgroups cg(cg2_.root());
  ASSERT_EQ(cg.version(), Cgroups::Version::kV2);
  const std::string id = unique_name("lay");
  cg.create(id);
  const fs::path dir = cg2_.root() / "berth" / id;
  ASSERT_EQ(cg.paths(id), std::vector<fs::path>{dir});
  EXPECT_EQ(cg.path_for(id, "memory"), dir);
  // The kernel made the core files: it is a cgroup, not a plain directory.
  for (const char* f : {"cgroup.procs", "cgroup.freeze", "cgroup.events", "cgroup.controllers"})
    EXPECT_TRUE(fs::exists(dir / f)) << f;
  cg.create(id);  // twice is fine
  EXPECT_EQ(cg.remove(id), "");
  EXPECT_FALSE(fs::exists(dir));
  EXPECT_EQ(cg.remove(id), "");  // gone already: fine
}

TEST_F(CgroupV2, Clone3IntoCgroupJoinsAtCloneTime) {
  Cgroups cg(cg2_.root());
  const auto [id, dir, pid] = start_member(cg, "join");
  ASSERT_GT(pid, 0);
  EXPECT_EQ(slurp(dir / "cgroup.procs"), std::to_string(pid) + "\n");
  EXPECT_NE(slurp("/proc/" + std::to_string(pid) + "/cgroup")
                .find("0::" + cg2_.hierarchy_path(dir) + "\n"),
            std::string::npos)
      << slurp("/proc/" + std::to_string(pid) + "/cgroup");
  // A busy cgroup is reported, not hung on.
  EXPECT_NE(cg.remove(id).find("Device or resource busy"), std::string::npos);
  reap(pid);
  EXPECT_EQ(cg.remove(id), "");
}

TEST_F(CgroupV2, FreezerFreezesAndThawsTheCgroup) {
  Cgroups cg(cg2_.root());
  const auto [id, dir, pid] = start_member(cg, "frz");
  ASSERT_GT(pid, 0);
  core::runtime::freeze(cg, id);
  EXPECT_TRUE(core::runtime::frozen(cg, id));
  EXPECT_NE(slurp(dir / "cgroup.events").find("frozen 1"), std::string::npos);
  core::runtime::thaw(cg, id);
  EXPECT_FALSE(core::runtime::frozen(cg, id));
  reap(pid);
  EXPECT_EQ(cg.remove(id), "");
}

TEST_F(CgroupV2, DefaultsApplyAndMissingControllersFailClearly) {
  Cgroups cg(cg2_.root());
  const std::string id = unique_name("lim");
  cg.create(id);
  // Defaults: the pids limit is skipped without the controller, the device program attached.
  EXPECT_NO_THROW(core::runtime::apply_resources(cg, id, {}, false));
  core::runtime::ResourceSpec pids;
  pids.pids_limit = 30;
  try {
    core::runtime::apply_resources(cg, id, pids, false);
    ADD_FAILURE() << "--pids-limit without the pids controller was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), 125);
    EXPECT_NE(std::string(e.what()).find("--pids-limit"), std::string::npos) << e.what();
  }
  core::runtime::ResourceSpec mem;
  mem.memory = 64 << 20;
  try {
    core::runtime::apply_resources(cg, id, mem, false);
    ADD_FAILURE() << "--memory without the memory controller was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("--memory: open `" +
                                         (cg.paths(id).front() / "memory.max").string()),
              std::string::npos)
        << e.what();
  }
  EXPECT_FALSE(core::runtime::oom_killed(cg, id));
  EXPECT_EQ(cg.remove(id), "");
}

}  // namespace
}  // namespace berth::test
