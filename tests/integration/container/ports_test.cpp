// -p/-P end to end through the CLI: the record, `inspect`, `ps`, `port`, the conflict check
// at start, and traffic through a real container's published port (the firewall's own cases
// are in tests/integration/network/firewall_test.cpp, in private network namespaces).
#include <gtest/gtest.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "tests/integration/container/container_helpers.h"

namespace berth::test {
namespace {

class PortsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    BERTH_NEED_ROOT();
    st_.import_busybox();
  }
  nlohmann::json inspect(const std::string& name) {
    auto r = st_.berth({"inspect", name});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(r.out)[0];
  }
  TempState st_;
};

TEST_F(PortsTest, PublishedPortsShowInInspectPsAndPort) {
  auto r = st_.berth({"run", "-d", "--name", "web", "-p", "28080:80", "-p", "127.0.0.1::53/udp",
                      "busybox", "sleep", "60"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = inspect("web");
  EXPECT_EQ(j["HostConfig"]["PortBindings"]["80/tcp"][0]["HostPort"], "28080");
  EXPECT_EQ(j["HostConfig"]["PortBindings"]["53/udp"][0]["HostIp"], "127.0.0.1");
  EXPECT_EQ(j["HostConfig"]["PortBindings"]["53/udp"][0]["HostPort"], "");
  std::string chosen = j["NetworkSettings"]["Ports"]["53/udp"][0]["HostPort"];
  EXPECT_NE(chosen, "");
  EXPECT_EQ(j["NetworkSettings"]["Ports"]["80/tcp"][0]["HostIp"], "0.0.0.0");
  auto port = st_.berth({"port", "web"});
  EXPECT_EQ(port.out, "53/udp -> 127.0.0.1:" + chosen + "\n80/tcp -> 0.0.0.0:28080\n");
  EXPECT_EQ(st_.berth({"port", "web", "80/tcp"}).out, "0.0.0.0:28080\n");
  auto none = st_.berth({"port", "web", "81"});
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_EQ(none.err, "Error: No public port '81/tcp' published for web\n");
  auto ps = st_.berth({"ps", "--format", "json"});
  EXPECT_EQ(nlohmann::json::parse(ps.out)["Ports"],
            "127.0.0.1:" + chosen + "->53/udp, 0.0.0.0:28080->80/tcp");
}

TEST_F(PortsTest, TwoContainersCannotPublishTheSameHostPort) {
  ASSERT_EQ(st_.berth({"run", "-d", "--name", "first", "-p", "28081:80", "busybox", "sleep", "60"})
                .exit_code,
            0);
  auto r = st_.berth({"run", "-d", "--name", "second", "-p", "28081:90", "busybox", "sleep", "60"});
  EXPECT_EQ(r.exit_code, 125);
  EXPECT_EQ(r.err, "Error: Bind for 0.0.0.0:28081 failed: port is already allocated\n");
  // Another protocol, or once the first has stopped, is fine.
  EXPECT_EQ(st_.berth({"run", "-d", "-p", "28081:80/udp", "busybox", "sleep", "60"}).exit_code, 0);
  ASSERT_EQ(st_.berth({"kill", "first"}).exit_code, 0);
  st_.berth({"wait", "first"});
  EXPECT_EQ(st_.berth({"start", "second"}).exit_code, 0);
}

TEST_F(PortsTest, BadSpecNamesTheFlag) {
  auto r = st_.berth({"create", "-p", "80:abc", "busybox", "true"});
  EXPECT_EQ(r.exit_code, 125);
  EXPECT_EQ(r.err,
            "Error: invalid argument \"80:abc\" for \"-p, --publish\" flag: invalid "
            "containerPort: abc\n");
}

TEST_F(PortsTest, PublishAllWithoutExposedPortsPublishesNothing) {
  auto r = st_.berth({"create", "--name", "pall", "-P", "busybox", "true"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(inspect("pall")["HostConfig"]["PortBindings"], nlohmann::json::object());
}

// The nftables table is the host's, shared by every state root: a start in one root must not
// take the rules of another root's running containers for leftovers.
TEST_F(PortsTest, AStartInAnotherRootKeepsThisRootsRules) {
  auto r = st_.berth({"run", "-d", "-p", "28095:80", "busybox", "sleep", "60"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string id = r.out.substr(0, 64);
  auto rules = [] { return run_command({"/usr/sbin/nft", "list", "table", "ip", "berth"}).out; };
  ASSERT_NE(rules().find("berth ctr " + id), std::string::npos);
  TempState other;
  other.import_busybox();
  r = other.berth({"run", "-d", "-p", "28096:80", "busybox", "sleep", "60"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(rules().find("berth ctr " + id), std::string::npos) << rules();
  other.berth({"rm", "-f", r.out.substr(0, 64)});
}

}  // namespace
TEST_F(PortsTest, TrafficReachesThePublishedPortAndTheRulesGoWithTheContainer) {
  auto r = st_.berth({"run", "-d", "--name", "web", "-p", "28090:80", "busybox", "sh", "-c",
                      "echo published > /tmp/index.html; exec httpd -f -p 80 -h /tmp"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string id = r.out.substr(0, 64);
  std::string body;
  for (int i = 0; i < 50 && body != "published\n"; ++i) {  // httpd starts asynchronously
    body = run_command({"/usr/bin/curl", "-s", "-m", "2", "http://127.0.0.1:28090/"}).out;
    if (body != "published\n") ::usleep(100 * 1000);
  }
  EXPECT_EQ(body, "published\n");
  // From another container, through the host's side of the bridge (DNAT in prerouting).
  auto inspect_out = inspect("web");
  std::string gateway = inspect_out["NetworkSettings"]["Networks"]["bridge"]["Gateway"];
  auto other =
      st_.berth({"run", "--rm", "busybox", "wget", "-qO-", "http://" + gateway + ":28090/"});
  EXPECT_EQ(other.out, "published\n") << other.err;
  // Hairpin: the container reaches its own published port.
  auto self = st_.berth({"exec", "web", "wget", "-qO-", "http://" + gateway + ":28090/"});
  EXPECT_EQ(self.out, "published\n") << self.err;
  ASSERT_EQ(st_.berth({"rm", "-f", "web"}).exit_code, 0);
  auto rules = run_command({"/usr/sbin/nft", "list", "table", "ip", "berth"});
  EXPECT_EQ(rules.out.find("berth ctr " + id), std::string::npos) << rules.out;
}

}  // namespace berth::test
