// The firewall against the real kernel, inside a throwaway network namespace (never the
// host's ruleset): a forked child unshares its network and mount namespaces, mounts a tmpfs
// on /run for `ip netns`, and builds two bridges with a busybox httpd "container" each, an
// internal bridge, and a "remote" namespace on a veth acting as the outside world. Links are
// made with iproute2 here, in the test only. Servers run under `timeout` and are killed at
// the end, so nothing outlives the child.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "common/error.h"
#include "core/state/container_store.h"
#include "engine/lifecycle/container_ports.h"
#include "network/firewall.h"
#include "network/userland_proxy.h"
#include "request/ports.h"
#include "tests/support/harness.h"

namespace berth::network {
namespace {

namespace fs = std::filesystem;

bool sh_quiet(const std::string& cmd) {
  return std::system(("(" + cmd + ") >/dev/null 2>&1").c_str()) == 0;
}

// One "container": a netns on a veth to `bridge`, with busybox httpd serving its name. Its
// bridge port has hairpin mode on, as berth's veth setup does: with br_netfilter loaded, a
// container reaching its own published port gets the DNAT'd frame back through its own port.
std::string container_setup(const std::string& ns, const std::string& bridge, const std::string& ip,
                            const std::string& gw) {
  return "ip netns add " + ns + " && ip link add v-" + ns + " type veth peer name eth0 netns " +
         ns + " && ip link set v-" + ns + " master " + bridge + " up && bridge link set dev v-" +
         ns + " hairpin on && ip -n " + ns + " link set lo up && ip -n " + ns + " addr add " + ip +
         "/24 dev eth0 && ip -n " + ns + " link set eth0 up && ip -n " + ns +
         " route add default via " + gw + " && mkdir -p /run/www/" + ns + " && echo " + ns +
         " > /run/www/" + ns + "/index.html && (ip netns exec " + ns +
         " timeout 60 busybox httpd -f -p 80 -h /run/www/" + ns + " &)";
}

std::string bridge_setup(const std::string& bridge, const std::string& gw) {
  return "ip link add " + bridge + " type bridge && ip addr add " + gw + "/24 dev " + bridge +
         " && ip link set " + bridge + " up";
}

const char* kSetup =
    "ip link set lo up && "
    "ip netns add remote && ip link add uplink type veth peer name eth0 netns remote && "
    "ip addr add 198.51.100.1/24 dev uplink && ip link set uplink up && "
    "ip -n remote link set lo up && ip -n remote addr add 198.51.100.2/24 dev eth0 && "
    "ip -n remote link set eth0 up && mkdir -p /run/www/remote && "
    "echo remote > /run/www/remote/index.html && "
    "(ip netns exec remote timeout 60 busybox httpd -f -p 80 -h /run/www/remote &)";

// curl from netns `ns` ("" = the host side); the page, or "" when it failed. (The static
// busybox's wget crashes in its resolver on Debian 12, so the client is the host's curl.)
std::string fetch(const std::string& ns, const std::string& url) {
  std::string cmd =
      (ns.empty() ? "" : "ip netns exec " + ns + " ") + "curl -s -m 2 " + url + " 2>/dev/null";
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return "";
  std::string out;
  char buf[256];
  while (size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  ::pclose(p);
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

// A UDP echo server in netns `ns` on `port`, answering one datagram (then exiting).
pid_t udp_echo(const std::string& ns, uint16_t port) {
  pid_t pid = ::fork();
  if (pid != 0) return pid;
  int nsfd = ::open(("/run/netns/" + ns).c_str(), O_RDONLY | O_CLOEXEC);
  if (nsfd < 0 || ::setns(nsfd, CLONE_NEWNET) != 0) _exit(1);
  int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  timeval tv{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) _exit(2);
  char buf[64];
  sockaddr_in from{};
  socklen_t len = sizeof from;
  ssize_t n = ::recvfrom(fd, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &len);
  if (n <= 0) _exit(3);
  ::sendto(fd, buf, n, 0, reinterpret_cast<sockaddr*>(&from), len);
  _exit(0);
}

// Sends "ping" to ip:port over UDP from the current netns; true when it comes back.
bool udp_roundtrip(const std::string& ip, uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  ::inet_pton(AF_INET, ip.c_str(), &a.sin_addr);
  timeval tv{3, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  char buf[16] = {};
  bool ok = ::sendto(fd, "ping", 4, 0, reinterpret_cast<sockaddr*>(&a), sizeof a) == 4 &&
            ::recv(fd, buf, sizeof buf, 0) == 4 && std::string(buf, 4) == "ping";
  ::close(fd);
  return ok;
}

PortBinding binding(uint16_t host, uint16_t container, const std::string& proto = "tcp",
                    const std::string& ip = "") {
  PortBinding b;
  b.host_ip = ip;
  b.host_port = host;
  b.container_port = container;
  b.proto = proto;
  return b;
}

// Runs `body` in a child with private network and mount namespaces and the topology above;
// returns the failures it reported (one per line), or a setup failure.
std::string in_private_netns(const std::function<void(std::vector<std::string>&)>& body) {
  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) return "pipe failed";
  pid_t pid = ::fork();
  if (pid == 0) {
    ::close(out[0]);
    std::vector<std::string> failures;
    if (::unshare(CLONE_NEWNET | CLONE_NEWNS) != 0 ||
        ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0 ||
        ::mount("tmpfs", "/run", "tmpfs", 0, "mode=0755") != 0 || !sh_quiet(kSetup)) {
      failures.push_back("setup of the private namespace failed");
    } else {
      try {
        body(failures);
      } catch (const std::exception& e) {
        failures.push_back(std::string("exception: ") + e.what());
      }
    }
    sh_quiet("for ns in $(ip netns list | cut -d' ' -f1); do kill $(ip netns pids $ns); done");
    std::string text;
    for (const auto& f : failures) text += f + "\n";
    (void)!::write(out[1], text.data(), text.size());
    _exit(0);
  }
  ::close(out[1]);
  std::string text;
  char buf[512];
  ssize_t n;
  while ((n = ::read(out[0], buf, sizeof buf)) > 0) text.append(buf, n);
  ::close(out[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (!WIFEXITED(status)) text += "child died\n";
  return text;
}

#define CHECK(cond) \
  if (!(cond)) failures.push_back(std::string(#cond) + " at line " + std::to_string(__LINE__))

class FirewallNetns : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!test::is_root()) GTEST_SKIP() << "needs root (network namespaces)";
    if (!fs::exists("/usr/sbin/ip") && !fs::exists("/sbin/ip")) GTEST_SKIP() << "ip missing";
    if (!fs::exists("/bin/busybox") || !fs::exists("/usr/bin/curl"))
      GTEST_SKIP() << "busybox or curl missing";
    if (!nft_available()) GTEST_SKIP() << "libnftables missing";
  }
};

const auto kIpA = parse_ipv4_or_throw("10.91.0.2");

void two_networks(network::Firewall& fw) {
  if (!sh_quiet(bridge_setup("br-a", "10.91.0.1") + " && " + bridge_setup("br-b", "10.92.0.1") +
                " && " + container_setup("ca", "br-a", "10.91.0.2", "10.91.0.1") + " && " +
                container_setup("ca2", "br-a", "10.91.0.3", "10.91.0.1") + " && " +
                container_setup("cb", "br-b", "10.92.0.2", "10.92.0.1") + " && sleep 0.3"))
    throw Error("bridge setup failed");
  fw.add_network({"br-a", parse_cidr("10.91.0.0/24"), false});
  fw.add_network({"br-b", parse_cidr("10.92.0.0/24"), false});
}

TEST_F(FirewallNetns, PublishedPortsReachTheContainer) {
  auto failures = in_private_netns([](std::vector<std::string>& failures) {
    network::Firewall fw;
    two_networks(fw);
    fw.add_container_ports("ctr-a", kIpA, {binding(18080, 80), binding(15353, 5353, "udp")});
    CHECK(fetch("", "http://127.0.0.1:18080/") == "ca");
    CHECK(fetch("", "http://198.51.100.1:18080/") == "ca");        // host's own address
    CHECK(fetch("remote", "http://198.51.100.1:18080/") == "ca");  // remote client
    CHECK(fetch("ca2", "http://10.91.0.1:18080/") == "ca");        // hairpin, same bridge
    CHECK(fetch("ca", "http://198.51.100.1:18080/") == "ca");      // hairpin to itself
    pid_t echo = udp_echo("ca", 5353);
    ::usleep(200 * 1000);
    CHECK(udp_roundtrip("127.0.0.1", 15353));
    int status;
    ::waitpid(echo, &status, 0);
    // Calling again replaces, never duplicates.
    fw.add_container_ports("ctr-a", kIpA, {binding(18080, 80)});
    std::string list = fw.listing();
    CHECK(list.find("udp dport 15353") == std::string::npos);
    size_t n = 0;
    for (size_t at = 0; (at = list.find("tcp dport 18080", at)) != std::string::npos; ++at) ++n;
    CHECK(n == 2);
  });
  EXPECT_EQ(failures, "");
}

TEST_F(FirewallNetns, SpecificHostAddressOnly) {
  auto failures = in_private_netns([](std::vector<std::string>& failures) {
    network::Firewall fw;
    two_networks(fw);
    fw.add_container_ports("ctr-a", kIpA, {binding(18081, 80, "tcp", "127.0.0.1")});
    CHECK(fetch("", "http://127.0.0.1:18081/") == "ca");
    CHECK(fetch("remote", "http://198.51.100.1:18081/").empty());
  });
  EXPECT_EQ(failures, "");
}

TEST_F(FirewallNetns, NetworksAreIsolatedAndMasqueraded) {
  auto failures = in_private_netns([](std::vector<std::string>& failures) {
    network::Firewall fw;
    two_networks(fw);
    CHECK(fetch("ca2", "http://10.91.0.2/") == "ca");  // within one bridge
    CHECK(fetch("cb", "http://10.91.0.2/").empty());   // from network B to A
    CHECK(fetch("ca", "http://10.92.0.2/").empty());   // and back
    // remote has no route to 10.91.0.0/24: an answer means the source was masqueraded.
    CHECK(fetch("ca", "http://198.51.100.2/") == "remote");
    CHECK(fetch("remote", "http://10.91.0.2/").empty());
    std::string list = fw.listing();
    CHECK(list.find("ip saddr 10.91.0.0/24 oifname != \"br-a\" masquerade") != std::string::npos);
  });
  EXPECT_EQ(failures, "");
}

TEST_F(FirewallNetns, InternalNetworkHasNoWayOut) {
  auto failures = in_private_netns([](std::vector<std::string>& failures) {
    network::Firewall fw;
    two_networks(fw);
    if (!sh_quiet(bridge_setup("br-i", "10.93.0.1") + " && " +
                  container_setup("ci", "br-i", "10.93.0.2", "10.93.0.1") + " && sleep 0.3"))
      throw Error("internal bridge setup failed");
    fw.add_network({"br-i", parse_cidr("10.93.0.0/24"), true});
    CHECK(fetch("ci", "http://198.51.100.2/").empty());
    CHECK(fetch("ci", "http://10.91.0.2/").empty());
    CHECK(fetch("ca", "http://10.93.0.2/").empty());
    CHECK(fetch("ca", "http://198.51.100.2/") == "remote");
  });
  EXPECT_EQ(failures, "");
}

TEST_F(FirewallNetns, RemovalLeavesNoRule) {
  auto failures = in_private_netns([](std::vector<std::string>& failures) {
    network::Firewall fw;
    two_networks(fw);
    fw.add_container_ports("ctr-a", kIpA, {binding(18080, 80)});
    fw.add_container_ports("ctr-gone", parse_ipv4_or_throw("10.92.0.2"), {binding(18082, 80)});
    CHECK(fetch("", "http://127.0.0.1:18080/") == "ca");
    fw.remove_container("ctr-a");
    fw.remove_container("ctr-a");  // twice is fine
    CHECK(fetch("", "http://127.0.0.1:18080/").empty());
    fw.prune_containers({});
    CHECK(fw.listing().find("berth ctr") == std::string::npos);
    fw.remove_network("br-a");
    std::string list = fw.listing();
    CHECK(list.find("br-a") == std::string::npos);
    CHECK(list.find("br-b") != std::string::npos);
    fw.remove_network("br-b");
    CHECK(fw.listing().find("comment") == std::string::npos);
  });
  EXPECT_EQ(failures, "");
}

// The lifecycle's entry points: publish_ports() at start, unpublish_ports() at stop, over a
// container record (an empty state root: no other containers).
TEST_F(FirewallNetns, LifecyclePublishAndUnpublish) {
  auto failures = in_private_netns([](std::vector<std::string>& failures) {
    network::Firewall fw;
    two_networks(fw);
    Paths paths;
    paths.root = "/run/berth-test/root";  // /run is the child's own tmpfs
    paths.runroot = "/run/berth-test/run";
    core::state::ContainerConfig c;
    c.id = "0123456789ab";
    // A container of this root that does not run, whose teardown failed, and one of another
    // root (the table is the host's): a start deletes the first one's rules only.
    const std::string stale = core::state::ContainerStore(paths).create({}).id();
    fw.add_container_ports(stale, kIpA, {binding(18083, 80)});
    fw.add_container_ports("other-root", kIpA, {binding(18085, 80)});
    engine::lifecycle::unpublish_ports(c);  // no ports: nothing happens
    c.extensions["ports"] = to_json(request::parse_port_spec("18084:80"));
    engine::lifecycle::publish_ports(paths, c, kIpA);
    CHECK(fetch("", "http://127.0.0.1:18084/") == "ca");
    CHECK(fw.listing().find("berth ctr " + stale) == std::string::npos);
    CHECK(fw.listing().find("berth ctr other-root") != std::string::npos);
    engine::lifecycle::unpublish_ports(c);
    fw.remove_container("other-root");
    CHECK(fetch("", "http://127.0.0.1:18084/").empty());
    CHECK(fw.listing().find("berth ctr") == std::string::npos);
  });
  EXPECT_EQ(failures, "");
}

TEST_F(FirewallNetns, UserlandProxyForwardsTcpAndUdp) {
  auto failures = in_private_netns([](std::vector<std::string>& failures) {
    if (!sh_quiet(bridge_setup("br-a", "10.91.0.1") + " && " +
                  container_setup("ca", "br-a", "10.91.0.2", "10.91.0.1") + " && sleep 0.3"))
      throw Error("bridge setup failed");
    std::vector<PortBinding> ports = {binding(18090, 80, "tcp", "127.0.0.1"),
                                      binding(15354, 5353, "udp")};
    UserlandProxy proxy(ports, kIpA);
    std::thread t([&] { proxy.run(); });
    CHECK(fetch("", "http://127.0.0.1:18090/") == "ca");
    CHECK(fetch("", "http://127.0.0.1:18090/") == "ca");
    pid_t echo = udp_echo("ca", 5353);
    ::usleep(200 * 1000);
    CHECK(udp_roundtrip("127.0.0.1", 15354));
    int status;
    ::waitpid(echo, &status, 0);
    try {
      UserlandProxy again({binding(18090, 80, "tcp", "127.0.0.1")}, kIpA);
      failures.push_back("a second proxy bound the same port");
    } catch (const Error& e) {
      CHECK(std::string(e.what()) == "Bind for 127.0.0.1:18090 failed: address already in use");
    }
    proxy.stop();
    t.join();
  });
  EXPECT_EQ(failures, "");
}

}  // namespace
}  // namespace berth::network
