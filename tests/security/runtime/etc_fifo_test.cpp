// An image whose /etc/hosts, /etc/resolv.conf or /etc/hostname is a FIFO: the init mounts
// berth's generated file over it and must never open the image's file for reading (a FIFO
// with no writer blocks that open for good). `run` finishes in bounded time with the
// generated file in place, and `rm -f` of a container finishes in bounded time.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/security/runtime/runtime_helpers.h"

namespace berth::test {
namespace {

namespace fs = std::filesystem;

class EtcFifo : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    if (!is_root()) GTEST_SKIP() << "needs root";
    const std::string file = GetParam();
    import_variant(st_, "fifo", [&](const fs::path& dir) {
      fs::create_directories(dir / "etc");
      fs::remove(dir / "etc" / file);
      ASSERT_EQ(::mkfifo((dir / "etc" / file).c_str(), 0644), 0);
    });
  }
  // A container stuck in its start (the init blocked on the FIFO) would hang TempState's
  // `rm -f` too: SIGKILL whatever is left in the containers' cgroups first.
  void TearDown() override {
    auto ids = st_.berth({"ps", "-aq", "--no-trunc"}, "", 10);
    std::istringstream in(ids.out);
    for (std::string id; in >> id;) {
      std::ifstream procs("/sys/fs/cgroup/pids/berth/" + id + "/cgroup.procs");
      for (pid_t pid; procs >> pid;) ::kill(pid, SIGKILL);
    }
  }
  TempState st_;
};

TEST_P(EtcFifo, RunFinishesWithTheGeneratedFile) {
  const std::string path = std::string("/etc/") + GetParam();
  auto r = st_.berth({"run", "--rm", "--hostname", "fifohost", "fifo", "sh", "-c",
                      "test -f " + path + " && echo regular; cat " + path},
                     "", 20);
  ASSERT_NE(r.exit_code, -1) << "run hung: " << r.err;
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("regular\n", 0), 0u) << r.out;
  if (path == "/etc/hostname") {
    EXPECT_EQ(r.out, "regular\nfifohost\n");
  }
  if (path == "/etc/hosts") {
    EXPECT_NE(r.out.find("localhost"), std::string::npos) << r.out;
  }
}

TEST_P(EtcFifo, DetachedRunAndForcedRemoveFinish) {
  auto r = st_.berth({"run", "-d", "--name", "fifobox", "fifo", "sleep", "60"}, "", 20);
  EXPECT_NE(r.exit_code, -1) << "run -d hung: " << r.err;
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto rm = st_.berth({"rm", "-f", "fifobox"}, "", 20);
  EXPECT_NE(rm.exit_code, -1) << "rm -f hung: " << rm.err;
  EXPECT_EQ(rm.exit_code, 0) << rm.err;
  EXPECT_EQ(st_.berth({"ps", "-aq"}).out, "");
}

INSTANTIATE_TEST_SUITE_P(EtcFiles, EtcFifo, ::testing::Values("hosts", "resolv.conf", "hostname"),
                         [](const auto& info) {
                           std::string n = info.param;
                           for (char& c : n)
                             if (c == '.') c = '_';
                           return n;
                         });

}  // namespace
}  // namespace berth::test
