// What a container's monitor could not do is reported, never dropped: a failed write of the
// exit into state.json becomes a line in the container's log (`logs` shows it on stderr), a
// failed --rm removal leaves the container with State.Error saying so, and a failed start
// that could not be recorded says that too. The failures are made real: state.json
// bind-mounted on itself (a rename onto a mount point fails, EBUSY), or a file where the
// store's .trash directory goes (the retire's rename fails, ENOTDIR), or a directory where the
// network teardown writes the DNS table.
#include <gtest/gtest.h>
#include <sys/mount.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <thread>

#include "tests/integration/container/container_helpers.h"

namespace berth::test {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

class MonitorFailuresTest : public ::testing::Test {
 protected:
  void SetUp() override {
    BERTH_NEED_ROOT();
    st_.import_busybox();
  }
  void TearDown() override {
    if (!pinned_.empty()) ::umount2(pinned_.c_str(), MNT_DETACH);
    std::error_code ec;
    fs::remove(trash(), ec);  // the planted file, so that the harness can remove the containers
  }
  fs::path state_json(const std::string& id) const {
    return st_.root() / "containers" / id / "state.json";
  }
  fs::path trash() const { return st_.root() / "containers" / ".trash"; }
  // Makes every later atomic write of the container's state.json fail (rename: EBUSY).
  void pin_state(const std::string& id) {
    pinned_ = state_json(id);
    ASSERT_EQ(::mount(pinned_.c_str(), pinned_.c_str(), nullptr, MS_BIND, nullptr), 0)
        << pinned_ << ": " << std::strerror(errno);
  }
  void unpin_state() {
    ASSERT_EQ(::umount2(pinned_.c_str(), MNT_DETACH), 0) << std::strerror(errno);
    pinned_.clear();
  }
  // Makes ContainerStore::retire fail: its rename into <root>/containers/.trash/ (ENOTDIR).
  void plant_trash_file() {
    fs::create_directories(trash().parent_path());
    std::ofstream(trash()) << "not a directory\n";
    ASSERT_TRUE(fs::is_regular_file(trash()));
  }
  // Polls `inspect` until State.Status is want (or 10 s); returns the last State.
  nlohmann::json until_status(const std::string& name, const std::string& want) {
    const auto end = Clock::now() + std::chrono::seconds(10);
    nlohmann::json s;
    do {
      s = inspect(st_, name)["State"];
      if (s.is_object() && s["Status"] == want) return s;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    } while (Clock::now() < end);
    return s;
  }
  TempState st_;
  fs::path pinned_;
};

TEST_F(MonitorFailuresTest, ExitThatCannotBeRecordedIsReportedInTheLog) {
  auto r = st_.berth({"run", "-d", "--name", "unrecorded", "busybox", "sleep", "1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string id = trim(r.out);
  pin_state(id);
  // The monitor writes the log line and ends; wait for the line in the file itself (a
  // `berth logs` now would try to mark the record "monitor lost" and fail on the mount too).
  const fs::path log = st_.root() / "containers" / id / "log.json";
  const auto end = Clock::now() + std::chrono::seconds(10);
  while (read_file_text(log).find("berth-monitor") == std::string::npos && Clock::now() < end)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  unpin_state();
  r = st_.berth({"logs", "unrecorded"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("berth-monitor: record the exit (code 0) of container " + id),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("Device or resource busy"), std::string::npos) << r.err;
}

TEST_F(MonitorFailuresTest, RestartThatCannotBeRecordedIsReportedInTheLog) {
  auto r = st_.berth({"run", "-d", "--name", "again", "--restart", "always", "busybox", "sh", "-c",
                      "sleep 0.3; exit 3"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string id = trim(r.out);
  pin_state(id);
  const fs::path log = st_.root() / "containers" / id / "log.json";
  const auto end = Clock::now() + std::chrono::seconds(10);
  while (read_file_text(log).find("as running") == std::string::npos && Clock::now() < end)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  unpin_state();
  ASSERT_EQ(st_.berth({"stop", "-t", "0", "again"}).exit_code, 0);
  r = st_.berth({"logs", "again"});
  EXPECT_NE(r.err.find("berth-monitor: record the exit (code 3) of container " + id +
                       " before its restart: rename `" + state_json(id).string() +
                       "`: Device or resource busy"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("berth-monitor: restart container " + id + ": record container " + id +
                       " as running: "),
            std::string::npos)
      << r.err;
}

TEST_F(MonitorFailuresTest, FailedStartThatCannotBeRecordedSaysSo) {
  auto r = st_.berth({"create", "--name", "badstart", "busybox", "/nonexistent"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string id = trim(r.out);
  pin_state(id);
  r = st_.berth({"start", "badstart"});
  unpin_state();
  EXPECT_NE(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("/nonexistent"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("record the failed start of container " + id), std::string::npos) << r.err;
}

TEST_F(MonitorFailuresTest, StartThatCannotBeRecordedAsRunningFailsSayingWhy) {
  auto r = st_.berth({"create", "--name", "unmarked", "busybox", "sleep", "100"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string id = trim(r.out);
  pin_state(id);
  r = st_.berth({"start", "unmarked"});
  unpin_state();
  EXPECT_NE(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("record container " + id + " as running: rename `" +
                       state_json(id).string() + "`: Device or resource busy"),
            std::string::npos)
      << r.err;
  // It does not run: a container that `ps` cannot show is out of reach of stop and kill.
  EXPECT_EQ(inspect(st_, "unmarked")["State"].value("Status", ""), "created");
}

TEST_F(MonitorFailuresTest, AutoRemoveThatFailsLeavesTheContainerWithStateError) {
  plant_trash_file();
  auto r = st_.berth({"run", "-d", "--rm", "--name", "stays", "busybox", "sh", "-c", "exit 3"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string id = trim(r.out);
  auto s = until_status("stays", "exited");
  ASSERT_EQ(s["Status"], "exited") << s.dump();
  EXPECT_EQ(s["ExitCode"], 3) << s.dump();
  const std::string error = s.value("Error", "");
  EXPECT_NE(error.find("remove container " + id), std::string::npos) << error;
  EXPECT_NE(error.find("Not a directory"), std::string::npos) << error;
}

TEST_F(MonitorFailuresTest, FailedStartOfAutoRemoveContainerThatCannotBeRemovedWarns) {
  plant_trash_file();
  auto r = st_.berth({"run", "--rm", "--name", "badrm", "busybox", "/nonexistent"});
  EXPECT_EQ(r.exit_code, 127) << r.err;
  EXPECT_NE(r.err.find("/nonexistent"), std::string::npos) << r.err;
  // The container stayed: the command says so, and its record keeps the start's error and why
  // it is still there.
  EXPECT_NE(r.err.find("remove container"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("Not a directory"), std::string::npos) << r.err;
  const std::string error = inspect(st_, "badrm")["State"].value("Error", "");
  EXPECT_NE(error.find("/nonexistent"), std::string::npos) << error;
  EXPECT_NE(error.find("remove container"), std::string::npos) << error;
}

TEST_F(MonitorFailuresTest, NetworkTeardownThatFailsIsReportedInTheLog) {
  const std::string net = unique_name("mf");
  ASSERT_EQ(st_.berth({"network", "create", net}).exit_code, 0);
  auto r = st_.berth({"run", "-d", "--name", "torn", "--network", net, "busybox", "sleep", "100"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string id = trim(r.out);
  // The teardown's DNS refresh cannot replace the table: a non-empty directory is there.
  const fs::path table = st_.runroot() / "dns" / "table.json";
  fs::remove(table);
  fs::create_directories(table / "in-the-way");
  r = st_.berth({"stop", "-t", "0", "torn"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = st_.berth({"logs", "torn"});
  fs::remove_all(table);
  EXPECT_NE(r.err.find("berth-monitor: network teardown of container " + id), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find(table.string()), std::string::npos) << r.err;
}

}  // namespace
}  // namespace berth::test
