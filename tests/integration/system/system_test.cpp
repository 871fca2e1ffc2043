// `info`, `system df`, `system prune` against a real state root.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/support/harness.h"

namespace berth::test {
namespace {

class SystemTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!is_root()) GTEST_SKIP() << "needs root";
    state_.import_busybox();
  }
  TempState state_;
};

TEST_F(SystemTest, InfoCountsWhatTheRootHolds) {
  ASSERT_EQ(state_.berth({"create", "--name", "c1", "busybox", "true"}).exit_code, 0);
  auto r = state_.berth({"info", "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["Images"], 1);
  EXPECT_EQ(j["Containers"], 1);
  EXPECT_EQ(j["ContainersStopped"], 1);
  EXPECT_EQ(j["BerthRootDir"], state_.root().string());
  // One version, from CMake: `version` and `info` say the same.
  const std::string version = state_.berth({"version"}).out.substr(14);  // "berth version X\n"
  EXPECT_EQ(state_.berth({"info", "--format", "{{.Images}} {{.ServerVersion}}"}).out,
            "1 " + version);
  auto text = state_.berth({"info"});
  EXPECT_NE(text.out.find("Cgroup Version:"), std::string::npos);
  EXPECT_NE(text.out.find(" Images: 1"), std::string::npos);
}

// A paused container is counted as paused, not as running (Docker's info).
TEST_F(SystemTest, InfoCountsPausedContainers) {
  ASSERT_EQ(state_.berth({"run", "-d", "--name", "p1", "busybox", "sleep", "30"}).exit_code, 0);
  ASSERT_EQ(state_.berth({"run", "-d", "--name", "r1", "busybox", "sleep", "30"}).exit_code, 0);
  ASSERT_EQ(state_.berth({"pause", "p1"}).exit_code, 0);
  auto j = nlohmann::json::parse(state_.berth({"info", "--format", "json"}).out);
  EXPECT_EQ(j["ContainersPaused"], 1);
  EXPECT_EQ(j["ContainersRunning"], 1);
  EXPECT_EQ(j["ContainersStopped"], 0);
  EXPECT_NE(state_.berth({"info"}).out.find("  Paused: 1\n"), std::string::npos);
  EXPECT_EQ(state_.berth({"unpause", "p1"}).exit_code, 0);
}

TEST_F(SystemTest, DfListsEveryKind) {
  auto r = state_.berth({"system", "df"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* row : {"TYPE", "Images", "Containers", "Local Volumes", "Build Cache"}) {
    EXPECT_NE(r.out.find(row), std::string::npos) << row;
  }
}

TEST_F(SystemTest, PruneRemovesStoppedContainersButKeepsRunningOnesAndVolumes) {
  ASSERT_EQ(state_.berth({"run", "--name", "done", "busybox", "true"}).exit_code, 0);
  ASSERT_EQ(state_.berth({"run", "-d", "--name", "up", "busybox", "sleep", "30"}).exit_code, 0);
  // A named volume's data (volumes/<name>/_data) must survive a prune without --volumes.
  std::filesystem::create_directories(state_.root() / "volumes/keep/_data");
  std::ofstream(state_.root() / "volumes/keep/_data/file") << "precious";

  auto r = state_.berth({"system", "prune", "-f"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Deleted Containers:"), std::string::npos);
  EXPECT_NE(r.out.find("Total reclaimed space:"), std::string::npos);

  auto ps = state_.berth({"ps", "-a", "--format", "json"});
  EXPECT_EQ(ps.out.find("\"done\""), std::string::npos) << ps.out;
  EXPECT_NE(ps.out.find("\"up\""), std::string::npos) << ps.out;
  EXPECT_TRUE(std::filesystem::exists(state_.root() / "volumes/keep/_data/file"));
  // The image is used by a container: not even -a removes it.
  EXPECT_EQ(state_.berth({"system", "prune", "-a", "-f"}).exit_code, 0);
  EXPECT_EQ(state_.berth({"image", "inspect", "busybox"}).exit_code, 0);
}

// Docker's system prune also removes the networks no container is on, and says so.
TEST_F(SystemTest, PruneRemovesUnusedNetworks) {
  const std::string net = unique_name("prn");
  ASSERT_EQ(state_.berth({"network", "create", net}).exit_code, 0);
  auto r = state_.berth({"system", "prune", "-f"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Deleted Networks:\n" + net + "\n"), std::string::npos) << r.out;
  EXPECT_EQ(state_.berth({"network", "inspect", net}).exit_code, 1);
}

TEST_F(SystemTest, PruneWithoutForceAsksAndNoMeansNothing) {
  ASSERT_EQ(state_.berth({"create", "--name", "c1", "busybox", "true"}).exit_code, 0);
  auto r = state_.berth({"system", "prune"}, "n\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Are you sure you want to continue? [y/N]"), std::string::npos);
  EXPECT_EQ(state_.berth({"inspect", "c1"}).exit_code, 0);
}

}  // namespace
}  // namespace berth::test
