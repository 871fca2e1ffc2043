// Published ports end to end through `berth run -p`, once over nftables' DNAT and once over the
// userland proxy (BERTH_USERLAND_PROXY=1 forces the fallback used where nftables is missing):
// TCP (busybox httpd) and UDP (a static echo server bind-mounted in) on 127.0.0.1 and on the
// host's own address; stop releases the port and a new start binds it again; a port held by a
// host socket is refused with Docker's message; nothing is left (proxy process, DNAT rule).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "common/file_lock.h"
#include "tests/integration/container/container_helpers.h"

namespace berth::test {
namespace {

namespace fs = std::filesystem;

// The first IPv4 address of a host interface that is not loopback nor one of berth's.
std::string host_address() {
  ifaddrs* list = nullptr;
  if (::getifaddrs(&list) < 0) return "";
  std::string out;
  for (ifaddrs* i = list; i && out.empty(); i = i->ifa_next) {
    if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET) continue;
    const std::string name = i->ifa_name;
    if (name == "lo" || name.starts_with("br-") || name.starts_with("berth")) continue;
    char buf[INET_ADDRSTRLEN];
    ::inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(i->ifa_addr)->sin_addr, buf, sizeof buf);
    out = buf;
  }
  ::freeifaddrs(list);
  return out;
}

std::string fetch(const std::string& host, int port) {
  return run_command({"/usr/bin/curl", "-s", "-m", "2",
                      "http://" + host + ":" + std::to_string(port) + "/"})
      .out;
}

// True when nothing listens on TCP `port` of any address (a bind succeeds).
bool tcp_port_free(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(fd);
  return ok;
}

class PublishedPorts : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    BERTH_NEED_ROOT();
    if (proxy()) ::setenv("BERTH_USERLAND_PROXY", "1", 1);
    st_.import_busybox();
  }
  void TearDown() override { ::unsetenv("BERTH_USERLAND_PROXY"); }
  bool proxy() const { return GetParam(); }
  int port(int n) const { return (proxy() ? 28300 : 28400) + n; }

  // httpd on 80 ("served") and the UDP echo server on 7, published on port(n) for both.
  RunResult start_web(const std::string& name, int n) {
    const std::string p = std::to_string(port(n));
    return st_.berth({"run", "-d", "--name", name, "-p", p + ":80", "-p", p + ":7/udp", "-v",
                      std::string(BERTH_UDP_ECHO) + ":/udp_echo:ro", "busybox", "sh", "-c",
                      "/udp_echo 7 & echo served > /tmp/index.html; exec httpd -f -p 80 -h /tmp"});
  }
  // Waits for httpd (it starts asynchronously).
  std::string fetch_soon(const std::string& host, int port) {
    std::string body;
    for (int i = 0; i < 50 && body != "served\n"; ++i) {
      body = fetch(host, port);
      if (body != "served\n") ::usleep(100 * 1000);
    }
    return body;
  }
  // The proxy of container `id` runs: its lock is held.
  bool proxy_running(const std::string& id) {
    const fs::path lock = st_.runroot() / "proxy" / (id + ".lock");
    return fs::exists(lock) && !FileLock::try_lock(lock).held();
  }
  bool dnat_rule_of(const std::string& id) {
    auto rules = run_command({"/usr/sbin/nft", "list", "table", "ip", "berth"});
    return rules.out.find("berth ctr " + id) != std::string::npos;
  }

  TempState st_;
};

TEST_P(PublishedPorts, TcpAndUdpOnLoopbackAndTheHostAddress) {
  auto r = start_web(unique_name("web"), 1);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string id = trim(r.out);
  EXPECT_EQ(fetch_soon("127.0.0.1", port(1)), "served\n");
  const std::string host = host_address();
  ASSERT_NE(host, "");
  EXPECT_EQ(fetch(host, port(1)), "served\n") << host;
  EXPECT_TRUE(udp_echoes("127.0.0.1", port(1)));
  EXPECT_TRUE(udp_echoes(host, port(1))) << host;
  // Which path served it: a proxy process and no DNAT rule, or the reverse.
  EXPECT_EQ(proxy_running(id), proxy());
  EXPECT_EQ(dnat_rule_of(id), !proxy());
  ASSERT_EQ(st_.berth({"rm", "-f", id}).exit_code, 0);
  EXPECT_FALSE(proxy_running(id));
  EXPECT_FALSE(dnat_rule_of(id));
  EXPECT_TRUE(tcp_port_free(port(1)));
  EXPECT_FALSE(fs::exists(st_.runroot() / "proxy" / (id + ".pid")));
}

TEST_P(PublishedPorts, StopReleasesThePortAndStartBindsItAgain) {
  const std::string name = unique_name("web");
  auto r = start_web(name, 2);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(fetch_soon("127.0.0.1", port(2)), "served\n");
  ASSERT_EQ(st_.berth({"stop", "-t", "1", name}).exit_code, 0);
  EXPECT_TRUE(tcp_port_free(port(2)));
  EXPECT_EQ(fetch("127.0.0.1", port(2)), "");
  // Another container may take the port now, then the first cannot start.
  const std::string other = unique_name("other");
  auto o = start_web(other, 2);
  ASSERT_EQ(o.exit_code, 0) << o.err;
  auto again = st_.berth({"start", name});
  EXPECT_NE(again.exit_code, 0);  // `start` exits 1, as Docker's
  EXPECT_NE(again.err.find("Bind for 0.0.0.0:" + std::to_string(port(2)) +
                           " failed: port is already allocated"),
            std::string::npos)
      << again.err;
  ASSERT_EQ(st_.berth({"stop", "-t", "1", other}).exit_code, 0);
  ASSERT_EQ(st_.berth({"start", name}).exit_code, 0);
  EXPECT_EQ(fetch_soon("127.0.0.1", port(2)), "served\n");
  EXPECT_TRUE(udp_echoes("127.0.0.1", port(2)));
}

TEST_P(PublishedPorts, PortHeldByAHostSocketIsRefused) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;  // an earlier run's connections may linger in TIME_WAIT on the port
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port(3)));
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  ASSERT_EQ(::listen(fd, 1), 0);
  const std::string name = unique_name("web");
  auto r = start_web(name, 3);
  ::close(fd);
  EXPECT_EQ(r.exit_code, 125);
  EXPECT_EQ(r.err, "Error: Bind for 0.0.0.0:" + std::to_string(port(3)) +
                       " failed: address already in use\n");
  auto j = inspect(st_, name);
  EXPECT_EQ(j["State"]["Running"], false);
  // Free again: it starts.
  ASSERT_EQ(st_.berth({"start", name}).exit_code, 0);
  EXPECT_EQ(fetch_soon("127.0.0.1", port(3)), "served\n");
}

// The per-mount options of this process's /sys ("rw,nosuid,..." or "ro,..."), from mountinfo.
std::string sys_mount_options() {
  std::ifstream mountinfo("/proc/self/mountinfo");
  for (std::string line; std::getline(mountinfo, line);) {
    std::istringstream fields(line);
    std::string id, parent, dev, root, target, options;
    fields >> id >> parent >> dev >> root >> target >> options;
    if (target == "/sys") return options;
  }
  return "";
}

// /sys read-only, as inside a container (CI runners, nested use): berth runs in a private mount
// namespace whose /sys is remounted read-only, and a published port still works, hairpin
// included (the bridge port's flag goes over netlink, not sysfs). The host's /sys is untouched.
TEST(PublishedPortsReadOnlySys, PortAndHairpinWork) {
  BERTH_NEED_ROOT();
  if (!fs::exists("/usr/bin/unshare")) GTEST_SKIP() << "unshare missing";
  const std::string sys_before = sys_mount_options();
  ASSERT_FALSE(sys_before.empty());
  TempState st;
  st.import_busybox();
  const std::string port = "28601";
  const std::string b = std::string(BERTH_BIN) + " --root " + st.root().string() + " --runroot " +
                        st.runroot().string();
  const std::string script =
      "mount -o remount,bind,ro /sys || exit 90\n"
      "awk '$5 == \"/sys\" && $6 ~ /^ro,/' /proc/self/mountinfo | grep -q . || exit 91\n" +
      b + " run -d --name web -p " + port + ":80 busybox sh -c " +
      "'echo served > /tmp/index.html; exec httpd -f -p 80 -h /tmp' >/dev/null || exit 92\n" +
      "for i in $(seq 50); do curl -s -m 2 http://127.0.0.1:" + port +
      "/ | grep -q served && break; sleep 0.1; done\n"
      "echo \"local=$(curl -s -m 2 http://127.0.0.1:" +
      port + "/)\"\n" + "echo \"hairpin=$(" + b +
      " exec web sh -c 'gw=$(ip route | sed -n \"s/^default via \\([0-9.]*\\).*/\\1/p\"); " +
      "wget -qO- http://$gw:" + port + "/')\"\n" + b + " rm -f web >/dev/null\n";
  auto r =
      run_command({"/usr/bin/unshare", "-m", "--propagation", "private", "/bin/sh", "-c", script});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("local=served\n"), std::string::npos) << r.out << r.err;
  EXPECT_NE(r.out.find("hairpin=served\n"), std::string::npos) << r.out << r.err;
  // The remount stayed in the private namespace: our /sys is as it was.
  EXPECT_EQ(sys_mount_options(), sys_before);
}

INSTANTIATE_TEST_SUITE_P(Paths, PublishedPorts, ::testing::Values(false, true),
                         [](const auto& info) {
                           return info.param ? "UserlandProxy" : "Nftables";
                         });

}  // namespace
}  // namespace berth::test
