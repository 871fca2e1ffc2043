// --sysctl with a namespace shared with the host: with --network host (or --network
// container:X where X uses the host's network) a net.* sysctl would be written into the
// host's own network namespace. Refused at create like runc refuses it ("not allowed in host
// network namespace"), exit 125, nothing recorded, and the host's value left alone.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "tests/security/runtime/runtime_helpers.h"

namespace berth::test {
namespace {

// A net.* sysctl that is per network namespace and harmless to change for a moment.
constexpr const char* kKey = "net.ipv4.tcp_fin_timeout";
constexpr const char* kFile = "/proc/sys/net/ipv4/tcp_fin_timeout";

std::string read_sysctl() {
  std::ifstream in(kFile);
  std::string v;
  in >> v;
  return v;
}

class SysctlHostNamespace : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!is_root()) GTEST_SKIP() << "needs root";
    host_value_ = read_sysctl();
    ASSERT_FALSE(host_value_.empty());
    st_.import_busybox();
  }
  // The old code wrote the host's value: put it back whatever happened.
  void TearDown() override {
    if (host_value_.empty() || read_sysctl() == host_value_) return;
    std::ofstream(kFile) << host_value_;
  }
  std::string other_value() const { return std::to_string(std::stoi(host_value_) + 1); }

  std::string host_value_;
  TempState st_;
};

TEST_F(SysctlHostNamespace, NetSysctlWithHostNetworkIsRefusedAndHostUnchanged) {
  auto r = st_.berth({"run", "--rm", "--network", "host", "--sysctl",
                      std::string(kKey) + "=" + other_value(), "busybox", "true"},
                     "", 30);
  EXPECT_EQ(r.exit_code, 125) << r.out << r.err;
  EXPECT_NE(
      r.err.find("sysctl \"" + std::string(kKey) + "\" not allowed in host network namespace"),
      std::string::npos)
      << r.err;
  EXPECT_EQ(read_sysctl(), host_value_);
  auto ps = st_.berth({"ps", "-aq"});
  EXPECT_EQ(ps.out, "");
}

TEST_F(SysctlHostNamespace, CreateRefusesItAndRecordsNothing) {
  auto r = st_.berth({"create", "--name", "hostnet", "--network", "host", "--sysctl",
                      "net/ipv4/tcp_fin_timeout=" + other_value(), "busybox", "true"});
  EXPECT_EQ(r.exit_code, 125) << r.out << r.err;
  EXPECT_NE(r.err.find("not allowed in host network namespace"), std::string::npos) << r.err;
  EXPECT_EQ(st_.berth({"ps", "-aq"}).out, "");
}

TEST_F(SysctlHostNamespace, JoiningAHostNetworkContainerIsRefusedToo) {
  auto h =
      st_.berth({"run", "-d", "--name", "hostbox", "--network", "host", "busybox", "sleep", "60"});
  ASSERT_EQ(h.exit_code, 0) << h.err;
  auto r = st_.berth({"run", "--rm", "--network", "container:hostbox", "--sysctl",
                      std::string(kKey) + "=" + other_value(), "busybox", "true"},
                     "", 30);
  EXPECT_EQ(r.exit_code, 125) << r.out << r.err;
  EXPECT_NE(r.err.find("not allowed in host network namespace"), std::string::npos) << r.err;
  EXPECT_EQ(read_sysctl(), host_value_);
}

TEST_F(SysctlHostNamespace, OwnNetworkNamespaceStillTakesNetSysctls) {
  auto r = st_.berth({"run", "--rm", "--network", "none", "--sysctl",
                      std::string(kKey) + "=" + other_value(), "busybox", "cat", kFile});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, other_value() + "\n");
  EXPECT_EQ(read_sysctl(), host_value_);
}

}  // namespace
}  // namespace berth::test
