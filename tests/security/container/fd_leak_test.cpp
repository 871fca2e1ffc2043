// No host fd reaches a container : even an fd that the
// caller of berth leaked (no O_CLOEXEC) stops at the CLI/monitor boundary, and the container's
// process starts with exactly 0, 1 and 2.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/support/harness.h"

namespace berth::test {
namespace {

std::vector<std::string> fds_of(pid_t pid) {
  std::vector<std::string> out;
  for (auto& e : std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd"))
    out.push_back(e.path().filename());
  std::sort(out.begin(), out.end());
  return out;
}

TEST(FdLeak, LeakedCallerFdReachesNeitherMonitorNorContainer) {
  if (!is_root()) GTEST_SKIP() << "needs root";
  TempState st;
  st.import_busybox();
  // A careless caller: fd 50 open without O_CLOEXEC, inherited by `berth`.
  int leaked = ::open("/etc/hostname", O_RDONLY);
  ASSERT_GE(leaked, 0);
  ASSERT_EQ(::dup2(leaked, 50), 50);
  ::close(leaked);
  auto r = st.berth({"run", "--rm", "busybox", "ls", "/proc/self/fd"});
  auto d = st.berth({"run", "-d", "busybox", "sleep", "30"});
  ::close(50);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "0\n1\n2\n3\n");  // 3: ls's own directory
  ASSERT_EQ(d.exit_code, 0) << d.err;
  std::string id = d.out.substr(0, 64);
  std::ifstream in(st.root() / "containers" / id / "state.json");
  auto state = nlohmann::json::parse(in);
  EXPECT_EQ(fds_of(state["pid"]), (std::vector<std::string>{"0", "1", "2"}));
  for (const auto& fd : fds_of(state["monitor_pid"])) EXPECT_NE(fd, "50");
}

}  // namespace
}  // namespace berth::test
