// Records that cannot be read are reported, naming them, never silently left out: a
// container whose network settings do not parse (`inspect` shows it without them, `network
// prune` leaves it out, the DNS table leaves a running one out, each with a warning), and a
// network record that does not parse (`network ls` lists the others and warns about it).
#include <gtest/gtest.h>

#include <fstream>

#include "tests/integration/container/container_helpers.h"

namespace berth::test {
namespace {

namespace fs = std::filesystem;

class UnreadableRecordsTest : public ::testing::Test {
 protected:
  void SetUp() override { BERTH_NEED_ROOT(); }
  RunResult ok(const std::vector<std::string>& args) {
    auto r = st_.berth(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r;
  }
  // Gives container id's endpoint on `network` an address that does not parse.
  void break_endpoint(const std::string& id, const std::string& network) {
    const fs::path file = st_.root() / "containers" / id / "config.json";
    auto j = nlohmann::json::parse(read_file_text(file));
    j["extensions"]["networks"][network]["ip"] = "not-an-address";
    std::ofstream(file) << j.dump();
  }
  TempState st_;
};

TEST_F(UnreadableRecordsTest, ContainerWithUnreadableNetworkSettingsIsNamed) {
  st_.import_busybox();
  const std::string net = unique_name("ur");
  ok({"network", "create", net});
  const std::string id =
      trim(ok({"create", "--name", "odd", "--network", net, "busybox", "true"}).out);
  break_endpoint(id, net);

  auto r = ok({"inspect", "odd"});
  EXPECT_NE(r.err.find("warning: container " + id), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("not-an-address"), std::string::npos) << r.err;

  r = ok({"network", "prune", "-f"});
  EXPECT_NE(r.err.find("warning: container " + id), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("left out of network " + net), std::string::npos) << r.err;
}

TEST_F(UnreadableRecordsTest, RunningContainerWithUnreadableNetworkSettingsIsNamedByTheDns) {
  st_.import_busybox();
  const std::string net = unique_name("ur");
  ok({"network", "create", net});
  const std::string id =
      trim(ok({"run", "-d", "--name", "odd", "--network", net, "busybox", "sleep", "100"}).out);
  break_endpoint(id, net);
  // Another start on the network rewrites the DNS table.
  auto r = ok({"run", "--rm", "--network", net, "busybox", "true"});
  EXPECT_NE(r.err.find("warning: container " + id), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("left out of the DNS"), std::string::npos) << r.err;
}

TEST_F(UnreadableRecordsTest, UnreadableNetworkRecordIsNamed) {
  const std::string net = unique_name("ur");
  ok({"network", "create", net});
  const fs::path broken = st_.root() / "networks" / "broken.json";
  std::ofstream(broken) << "{not json";
  auto r = ok({"network", "ls", "--format", "{{.Name}}"});
  EXPECT_NE(r.out.find(net + "\n"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("warning: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(broken.string()), std::string::npos) << r.err;
  fs::remove(broken);
}

}  // namespace
}  // namespace berth::test
