// Ports published on 127.0.0.1 stay on the host (the route_localnet hazard, CVE-2020-8558): a
// neighbour on a link of the host sends datagrams and SYNs to 127.0.0.1:PORT with the host as
// next hop, and nothing reaches the container, while the host itself still reaches it on
// 127.0.0.1 and the neighbour still reaches a port published on every address. The neighbour is
// a test network namespace on a veth whose host end has an address of 198.18.0.0/15 (the
// benchmarking range); both go in TearDown, whatever happened.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "tests/integration/container/container_helpers.h"

namespace berth::test {
namespace {

namespace fs = std::filesystem;

RunResult sh(const std::string& script) {
  return run_command({"/bin/sh", "-c", script});
}

class LoopbackGuard : public ::testing::Test {
 protected:
  void SetUp() override {
    BERTH_NEED_ROOT();
    if (!fs::exists("/usr/sbin/ip") || !fs::exists("/usr/bin/curl"))
      GTEST_SKIP() << "ip or curl missing";
    st_.import_busybox();
    const int n = ::getpid() % 256;  // a /30 of 198.18.n.0 per test process
    host_ip_ = "198.18." + std::to_string(n) + ".1";
    const std::string peer_ip = "198.18." + std::to_string(n) + ".2";
    // The neighbour's lo stays down, so 127.0.0.0/8 is not local there and can be routed
    // through the host; route_localnet on its own link lets it send and receive 127.x.
    auto r = sh("ip netns add " + ns_ + " && ip link add " + link_ + " type veth peer name eth0" +
                " netns " + ns_ + " && ip addr add " + host_ip_ + "/30 dev " + link_ +
                " && ip link set " + link_ + " up && ip -n " + ns_ + " addr add " + peer_ip +
                "/30 dev eth0 && ip -n " + ns_ + " link set eth0 up && ip netns exec " + ns_ +
                " sysctl -qw net.ipv4.conf.eth0.route_localnet=1 && ip -n " + ns_ +
                " route add 127.0.0.0/8 via " + host_ip_ + " dev eth0");
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  void TearDown() override {
    sh("ip netns del " + ns_ + "; ip link del " + link_);
    EXPECT_FALSE(fs::exists("/run/netns/" + ns_));
    EXPECT_FALSE(fs::exists("/sys/class/net/" + link_));
  }
  // curl from the neighbour; the body, "" when it failed.
  std::string fetch_from_neighbour(const std::string& host, int port) {
    return run_command({"/usr/sbin/ip", "netns", "exec", ns_, "/usr/bin/curl", "-s", "-m", "2",
                        "http://" + host + ":" + std::to_string(port) + "/"})
        .out;
  }

  TempState st_;
  const std::string ns_ = unique_name("berth-lan");
  const std::string link_ = unique_name("blan");
  std::string host_ip_;
};

TEST_F(LoopbackGuard, NeighbourCannotReachAPortPublishedOnLoopback) {
  constexpr int kLoopbackPort = 28501, kAnyPort = 28502;
  const std::string lo = "127.0.0.1:" + std::to_string(kLoopbackPort);
  auto r = st_.berth({"run", "-d", "-p", lo + ":80", "-p", lo + ":7/udp", "-p",
                      std::to_string(kAnyPort) + ":80", "-v",
                      std::string(BERTH_UDP_ECHO) + ":/udp_echo:ro", "busybox", "sh", "-c",
                      "/udp_echo 7 & echo served > /tmp/index.html; exec httpd -f -p 80 -h /tmp"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string url = "http://" + lo + "/";
  std::string body;
  for (int i = 0; i < 50 && body != "served\n"; ++i) {  // httpd starts asynchronously
    body = run_command({"/usr/bin/curl", "-s", "-m", "2", url}).out;
    if (body != "served\n") ::usleep(100 * 1000);
  }
  // The host reaches its published ports on 127.0.0.1 (locally generated, in through lo).
  EXPECT_EQ(body, "served\n");
  EXPECT_TRUE(udp_echoes("127.0.0.1", kLoopbackPort));
  // The neighbour reaches the host: a port published on every address answers it.
  EXPECT_EQ(fetch_from_neighbour(host_ip_, kAnyPort), "served\n");
  // But 127.0.0.1 from the wire is dropped: no SYN answered, no datagram delivered.
  EXPECT_EQ(fetch_from_neighbour("127.0.0.1", kLoopbackPort), "");
  EXPECT_FALSE(udp_echoes("127.0.0.1", kLoopbackPort, ns_));
}

}  // namespace
}  // namespace berth::test
