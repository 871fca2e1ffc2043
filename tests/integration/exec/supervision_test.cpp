// Restart policies applied by the monitor (Docker's rules and backoff), `stop` cancelling
// them, RestartCount, a simulated reboot and `system restore`, and `run --init`.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "tests/integration/container/container_helpers.h"

namespace berth::test {
namespace {

using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

class SupervisionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    BERTH_NEED_ROOT();
    st_.import_busybox();
  }
  std::string run_d(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {"run", "-d"};
    argv.insert(argv.end(), args.begin(), args.end());
    auto r = st_.berth(argv);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return trim(r.out);
  }
  // Polls inspect until pred holds (or the timeout), returns the last inspect.
  nlohmann::json until(const std::string& name,
                       const std::function<bool(const nlohmann::json&)>& pred,
                       int timeout_ms = 8000) {
    auto end = Clock::now() + std::chrono::milliseconds(timeout_ms);
    nlohmann::json j;
    do {
      j = inspect(st_, name);
      if (pred(j)) return j;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    } while (Clock::now() < end);
    return j;
  }
  // The reboot: every monitor SIGKILLed (their containers die with them), runroot wiped.
  void simulate_reboot() {
    auto ids = st_.berth({"ps", "-q", "--no-trunc"});
    std::istringstream in(ids.out);
    for (std::string id; std::getline(in, id);) {
      auto state =
          nlohmann::json::parse(read_file_text(st_.root() / "containers" / id / "state.json"));
      pid_t monitor = state["monitor_pid"];
      ::kill(monitor, SIGKILL);
      for (int i = 0; i < 100 && process_alive(monitor); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    fs::remove_all(st_.runroot());
  }
  TempState st_;
};

TEST_F(SupervisionTest, OnFailureRestartsUpToItsLimitWithBackoff) {
  auto t0 = Clock::now();
  run_d({"--name", "flaky", "--restart", "on-failure:2", "busybox", "sh", "-c", "exit 3"});
  auto j = until("flaky", [](const auto& j) {
    return j["RestartCount"] == 2 && j["State"]["Status"] == "exited";
  });
  EXPECT_EQ(j["RestartCount"], 2);
  EXPECT_EQ(j["State"]["ExitCode"], 3);
  EXPECT_EQ(j["HostConfig"]["RestartPolicy"]["Name"], "on-failure");
  EXPECT_EQ(j["HostConfig"]["RestartPolicy"]["MaximumRetryCount"], 2);
  // 100 ms, then 200 ms between the starts.
  EXPECT_GE(Clock::now() - t0, std::chrono::milliseconds(300));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_EQ(inspect(st_, "flaky")["RestartCount"], 2);
  // A clean exit is not a failure.
  run_d({"--name", "clean", "--restart", "on-failure", "busybox", "true"});
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_EQ(inspect(st_, "clean")["RestartCount"], 0);
}

TEST_F(SupervisionTest, AlwaysRestartsAfterKillButNotAfterStop) {
  run_d({"--name", "svc", "--restart", "always", "busybox", "sleep", "1000"});
  pid_t first = inspect(st_, "svc")["State"]["Pid"];
  ASSERT_EQ(st_.berth({"kill", "svc"}).exit_code, 0);
  auto j = until("svc", [&](const auto& j) {
    return j["RestartCount"] == 1 && j["State"]["Running"] == true;
  });
  EXPECT_EQ(j["RestartCount"], 1);
  EXPECT_NE(j["State"]["Pid"], first);
  auto t0 = Clock::now();
  auto stop = st_.berth({"stop", "-t", "1", "svc"});
  EXPECT_EQ(stop.exit_code, 0) << stop.err;
  EXPECT_LT(Clock::now() - t0, std::chrono::seconds(3));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  j = inspect(st_, "svc");
  EXPECT_EQ(j["State"]["Status"], "exited");
  EXPECT_EQ(j["RestartCount"], 1);
  // start clears the stop: the policy applies again, and RestartCount starts over.
  ASSERT_EQ(st_.berth({"start", "svc"}).exit_code, 0);
  EXPECT_EQ(inspect(st_, "svc")["RestartCount"], 0);
  EXPECT_EQ(st_.berth({"rm", "-f", "svc"}).exit_code, 0);
}

TEST_F(SupervisionTest, UnlessStoppedDoesNotComeBackAfterKill) {
  run_d({"--name", "us", "--restart", "unless-stopped", "busybox", "sleep", "1000"});
  ASSERT_EQ(st_.berth({"kill", "us"}).exit_code, 0);
  auto j = until("us", [](const auto& j) { return j["State"]["Status"] == "exited"; });
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  j = inspect(st_, "us");
  EXPECT_EQ(j["State"]["Status"], "exited");
  EXPECT_EQ(j["RestartCount"], 0);
}

TEST_F(SupervisionTest, RestartRemovedWhileWaitingToRestart) {
  run_d({"--name", "loop", "--restart", "always", "busybox", "false"});
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  auto rm = st_.berth({"rm", "-f", "loop"});
  EXPECT_EQ(rm.exit_code, 0) << rm.err;
  EXPECT_NE(st_.berth({"inspect", "loop"}).exit_code, 0);
}

TEST_F(SupervisionTest, BadPoliciesAreRefused) {
  auto r = st_.berth({"run", "-d", "--restart", "sometimes", "busybox", "true"});
  EXPECT_EQ(r.exit_code, 125);
  EXPECT_NE(r.err.find("invalid restart policy 'sometimes'"), std::string::npos) << r.err;
  r = st_.berth({"run", "--rm", "--restart", "always", "busybox", "true"});
  EXPECT_EQ(r.exit_code, 125);
  EXPECT_NE(r.err.find("Conflicting options: --restart and --rm"), std::string::npos);
  r = st_.berth({"create", "--restart", "always:3", "busybox", "true"});
  EXPECT_EQ(r.exit_code, 125);
}

TEST_F(SupervisionTest, AfterARebootPsShowsExitedAndStartWorks) {
  run_d({"--name", "web", "busybox", "sleep", "1000"});
  simulate_reboot();
  auto ps = st_.berth({"ps", "-a"});
  EXPECT_NE(ps.out.find("Exited (255)"), std::string::npos) << ps.out;
  EXPECT_EQ(st_.berth({"ps", "-q"}).out, "");
  auto start = st_.berth({"start", "web"});
  EXPECT_EQ(start.exit_code, 0) << start.err;
  EXPECT_EQ(inspect(st_, "web")["State"]["Running"], true);
  EXPECT_EQ(st_.berth({"exec", "web", "true"}).exit_code, 0);
}

TEST_F(SupervisionTest, SystemRestoreBringsBackAlwaysAndUnlessStopped) {
  run_d({"--name", "aa", "--restart", "always", "busybox", "sleep", "1000"});
  run_d({"--name", "uu", "--restart", "unless-stopped", "busybox", "sleep", "1000"});
  run_d({"--name", "ss", "--restart", "unless-stopped", "busybox", "sleep", "1000"});
  run_d({"--name", "nn", "busybox", "sleep", "1000"});
  ASSERT_EQ(st_.berth({"stop", "-t", "0", "ss"}).exit_code, 0);
  simulate_reboot();
  auto r = st_.berth({"system", "restore"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("aa\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("uu\n"), std::string::npos) << r.out;
  EXPECT_EQ(count_lines(r.out), 2) << r.out;
  for (const char* name : {"aa", "uu"}) EXPECT_EQ(inspect(st_, name)["State"]["Running"], true);
  for (const char* name : {"ss", "nn"}) EXPECT_EQ(inspect(st_, name)["State"]["Running"], false);
}

TEST_F(SupervisionTest, InitForwardsSignalsAndStopsPromptly) {
  // `sleep` as PID 1 would ignore SIGTERM (the kernel's rule for PID 1); under --init it is
  // an ordinary process and dies of it.
  run_d({"--name", "ii", "--init", "busybox", "sleep", "1000"});
  EXPECT_EQ(inspect(st_, "ii")["HostConfig"]["Init"], true);
  auto pid1 = st_.berth({"exec", "ii", "cat", "/proc/1/cmdline"});
  EXPECT_EQ(pid1.out.substr(0, 10), std::string("/dev/init\0", 10));
  // The init is read-only from inside: its bind mount says so (a write would fail first with
  // ETXTBSY while it runs, which proves nothing about the mount).
  auto m = st_.berth({"exec", "ii", "grep", " /dev/init ", "/proc/self/mountinfo"});
  ASSERT_EQ(m.exit_code, 0) << m.err;
  EXPECT_NE(m.out.find(" /dev/init ro,"), std::string::npos) << m.out;
  auto t0 = Clock::now();
  ASSERT_EQ(st_.berth({"stop", "-t", "10", "ii"}).exit_code, 0);
  EXPECT_LT(Clock::now() - t0, std::chrono::seconds(2));
  EXPECT_EQ(inspect(st_, "ii")["State"]["ExitCode"], 143);  // 128 + SIGTERM, from the child
}

TEST_F(SupervisionTest, InitReapsOrphansAndReturnsTheExitCode) {
  auto r = st_.berth({"run", "--rm", "--init", "busybox", "sh", "-c", "exit 5"});
  EXPECT_EQ(r.exit_code, 5) << r.err;
  run_d({"--name", "zz", "--init", "busybox", "sh", "-c", "(sleep 0.1 &); sleep 1000"});
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  auto z = st_.berth({"exec", "zz", "sh", "-c", "cat /proc/[0-9]*/stat | grep -c ') Z ' || true"});
  EXPECT_EQ(z.out, "0\n");
  r = st_.berth({"run", "--rm", "--init", "busybox", "nope"});
  EXPECT_EQ(r.exit_code, 127);
  EXPECT_NE(r.err.find("executable file not found"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace berth::test
