// `ps` and `inspect` while the monitor waits out a restart backoff: Docker's
// Status "restarting", State.Restarting and State.Running true, `ps` listing it without -a as
// "Restarting (CODE) ... ago"; `stop` ends it as exited; a monitor lost during the backoff
// leaves an exited record, never a stuck "restarting".
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <sstream>
#include <thread>

#include "tests/integration/container/container_helpers.h"

namespace berth::test {
namespace {

using Clock = std::chrono::steady_clock;

class RestartingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    BERTH_NEED_ROOT();
    st_.import_busybox();
  }
  // Polls inspect until its State.Status is want (or 10 s), with at least min_restarts made
  // (the later backoffs are long enough for the checks that follow); returns the last State.
  nlohmann::json until_status(const std::string& name, const std::string& want,
                              int min_restarts = 0) {
    auto end = Clock::now() + std::chrono::seconds(10);
    nlohmann::json s;
    do {
      auto j = inspect(st_, name);
      s = j["State"];
      if (s["Status"] == want && j.value("RestartCount", 0) >= min_restarts) return s;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    } while (Clock::now() < end);
    return s;
  }
  // `ps --format json` row of name, or null.
  nlohmann::json ps_row(const std::vector<std::string>& flags, const std::string& name) {
    std::vector<std::string> args = {"ps", "--format", "json"};
    args.insert(args.end(), flags.begin(), flags.end());
    std::istringstream in(st_.berth(args).out);
    for (std::string line; std::getline(in, line);) {
      auto j = nlohmann::json::parse(line, nullptr, false);
      if (!j.is_discarded() && j.value("Names", "") == name) return j;
    }
    return nullptr;
  }
  TempState st_;
};

TEST_F(RestartingTest, PsAndInspectShowRestartingDuringTheBackoff) {
  const std::string name = unique_name("rs");
  auto r = st_.berth(
      {"run", "-d", "--name", name, "--restart", "always", "busybox", "sh", "-c", "exit 3"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // After 3 restarts the backoff is 800 ms: time to look.
  auto s = until_status(name, "restarting", 3);
  ASSERT_EQ(s["Status"], "restarting") << s.dump();
  EXPECT_EQ(s["Restarting"], true);
  EXPECT_EQ(s["Running"], true);
  EXPECT_EQ(s["ExitCode"], 3);
  EXPECT_EQ(s["Pid"], 0);

  // Listed without -a, like Docker; its status names the last exit code.
  auto row = ps_row({}, name);
  ASSERT_FALSE(row.is_null());
  EXPECT_EQ(row["State"], "restarting");
  EXPECT_TRUE(row["Status"].get<std::string>().starts_with("Restarting (3) ")) << row.dump();
  EXPECT_FALSE(ps_row({"--filter", "status=restarting"}, name).is_null());
  EXPECT_TRUE(ps_row({"-a", "--filter", "status=exited"}, name).is_null());
  auto table = st_.berth({"ps"}).out;
  EXPECT_NE(table.find("Restarting (3) "), std::string::npos) << table;

  ASSERT_EQ(st_.berth({"stop", name}).exit_code, 0);
  s = inspect(st_, name)["State"];
  EXPECT_EQ(s["Status"], "exited") << s.dump();
  EXPECT_EQ(s["Restarting"], false);
  EXPECT_EQ(s["Running"], false);
  EXPECT_GE(inspect(st_, name)["RestartCount"].get<int>(), 1);
}

TEST_F(RestartingTest, MonitorLostDuringTheBackoffLeavesAnExitedRecord) {
  const std::string name = unique_name("rl");
  auto r = st_.berth(
      {"run", "-d", "--name", name, "--restart", "always", "busybox", "sh", "-c", "exit 4"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(until_status(name, "restarting")["Status"], "restarting");
  const std::string id =
      trim(st_.berth({"ps", "-q", "--no-trunc", "--filter", "name=" + name}).out);
  auto state = nlohmann::json::parse(read_file_text(st_.root() / "containers" / id / "state.json"));
  pid_t monitor = state["monitor_pid"];
  ASSERT_GT(monitor, 0);
  ::kill(monitor, SIGKILL);
  for (int i = 0; i < 100 && process_alive(monitor); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  auto s = inspect(st_, name)["State"];
  EXPECT_EQ(s["Status"], "exited") << s.dump();
  EXPECT_EQ(s["Restarting"], false);
  EXPECT_EQ(s["ExitCode"], 4);
}

}  // namespace
}  // namespace berth::test
