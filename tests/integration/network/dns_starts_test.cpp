// The DNS table while containers start at the same time: each start marks its container as
// starting (<runroot>/dns/starting/<id>, flock'ed) so that a table written by another start
// keeps it, and the starts share table writes. Checked here: concurrent starts each resolve
// their own name from their first instruction and every name is in the table at the end; a
// marker left by a killed start is ignored and removed; a container that exits before its
// start returns is dropped from the table.
#include <gtest/gtest.h>
#include <sys/file.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "common/atomic_file.h"
#include "network/dns_table.h"
#include "tests/integration/container/container_helpers.h"

namespace berth::test {
namespace {

namespace fs = std::filesystem;

class DnsStartsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    BERTH_NEED_ROOT();
    st_.import_busybox();
    net_ = unique_name("dn");
    auto r = st_.berth({"network", "create", net_});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  // Container names in the table the DNS server serves.
  std::set<std::string> table_names() {
    std::set<std::string> out;
    const fs::path path = network::dns_table_path(st_.runroot());
    const auto t = network::parse_dns_table(read_file(path), path.string());
    for (const auto& c : t.containers) out.insert(c.name);
    return out;
  }

  fs::path starting_dir() { return st_.runroot() / "dns" / "starting"; }

  TempState st_;
  std::string net_;
};

TEST_F(DnsStartsTest, ConcurrentStartsEachResolveTheirNameFromTheFirstInstruction) {
  constexpr int kCount = 12;
  const std::string prefix = unique_name("s");
  std::vector<std::thread> starts;
  std::vector<RunResult> results(kCount);
  for (int i = 0; i < kCount; ++i) {
    starts.emplace_back([&, i] {
      const std::string name = prefix + std::to_string(i);
      // Exits 3 when its own name does not resolve at its first instruction.
      results[i] = st_.berth({"run", "-d", "--name", name, "--network", net_, "busybox", "sh", "-c",
                              "nslookup " + name + " >/dev/null || exit 3; exec sleep 300"});
    });
  }
  for (auto& t : starts) t.join();
  for (int i = 0; i < kCount; ++i) ASSERT_EQ(results[i].exit_code, 0) << i << results[i].err;
  // Each one ran its lookup: none exited 3.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  for (int i = 0; i < kCount; ++i) {
    auto j = inspect(st_, prefix + std::to_string(i));
    EXPECT_EQ(j["State"]["Status"], "running") << i << " exited " << j["State"]["ExitCode"];
  }
  const auto names = table_names();
  for (int i = 0; i < kCount; ++i) EXPECT_TRUE(names.contains(prefix + std::to_string(i))) << i;
  // Every start removed its marker.
  EXPECT_TRUE(fs::is_empty(starting_dir()));
  std::vector<std::string> rm = {"rm", "-f"};
  for (int i = 0; i < kCount; ++i) rm.push_back(prefix + std::to_string(i));
  EXPECT_EQ(st_.berth(rm).exit_code, 0);
}

TEST_F(DnsStartsTest, AMarkerNobodyHoldsIsIgnoredAndRemoved) {
  const std::string stale = unique_name("stale"), live = unique_name("live");
  auto c = st_.berth({"create", "--name", stale, "--network", net_, "busybox", "sleep", "60"});
  ASSERT_EQ(c.exit_code, 0) << c.err;
  // What a start killed between its marker and its end leaves: the file, with no lock on it.
  fs::create_directories(starting_dir());
  const fs::path marker = starting_dir() / trim(c.out);
  std::ofstream(marker).close();
  auto r = st_.berth({"run", "-d", "--name", live, "--network", net_, "busybox", "sleep", "60"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto names = table_names();
  EXPECT_TRUE(names.contains(live));
  EXPECT_FALSE(names.contains(stale));
  EXPECT_FALSE(fs::exists(marker));
  EXPECT_EQ(st_.berth({"rm", "-f", stale, live}).exit_code, 0);
}

TEST_F(DnsStartsTest, AContainerThatExitsAtOnceLeavesTheTable) {
  const std::string keep = unique_name("keep"), brief = unique_name("brief");
  ASSERT_EQ(st_.berth({"run", "-d", "--name", keep, "--network", net_, "busybox", "sleep", "60"})
                .exit_code,
            0);
  ASSERT_EQ(
      st_.berth({"run", "-d", "--name", brief, "--network", net_, "busybox", "true"}).exit_code, 0);
  EXPECT_EQ(st_.berth({"wait", brief}).exit_code, 0);
  bool gone = false;  // the monitor's cleanup runs after the exit is recorded
  for (int i = 0; i < 300 && !gone; ++i) {
    gone = !table_names().contains(brief);
    if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(gone);
  EXPECT_TRUE(table_names().contains(keep));
  // --rm: removed by its monitor before its start returned; nothing to warn about.
  auto rm = st_.berth({"run", "--rm", "--network", net_, "busybox", "true"});
  EXPECT_EQ(rm.exit_code, 0);
  EXPECT_EQ(rm.err, "");
  EXPECT_EQ(st_.berth({"rm", "-f", keep, brief}).exit_code, 0);
}

}  // namespace
}  // namespace berth::test
