// Networks end to end on the real kernel: network verbs and their bridges, containers on a
// user network reaching each other by name and alias (busybox httpd, wget, nslookup), names
// scoped to networks, the embedded DNS answering dig from the host, addresses kept across
// restarts, host/none modes, and nothing left in /sys/class/net after rm.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/wait.h>

#include <chrono>
#include <map>
#include <sstream>
#include <thread>

#include "common/atomic_file.h"
#include "network/dns_control.h"
#include "network/dns_server.h"
#include "tests/integration/container/container_helpers.h"

namespace berth::test {
namespace {

namespace fs = std::filesystem;

// Host links whose name starts with prefix.
std::vector<std::string> links_with_prefix(const std::string& prefix) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator("/sys/class/net"))
    if (e.path().filename().string().starts_with(prefix)) out.push_back(e.path().filename());
  return out;
}

// Waits up to 3 s for the links to go: a namespace's veths vanish when the kernel has
// finished destroying it, asynchronously.
bool links_gone(const std::string& prefix) {
  for (int i = 0; i < 300; ++i) {
    if (links_with_prefix(prefix).empty()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

// A stand-in for the host's resolver on 127.0.99.53:53 (loopback only, no packet leaves the
// machine): answers every A query with 203.0.113.77, anything else with an empty NOERROR.
// Runs in a forked child until killed.
[[noreturn]] void fake_host_resolver(int ready_fd) {
  int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(53);
  ::inet_pton(AF_INET, "127.0.99.53", &a.sin_addr);
  char ok = ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 ? '1' : '0';
  (void)!::write(ready_fd, &ok, 1);
  for (;;) {
    uint8_t q[512];
    sockaddr_in from{};
    socklen_t len = sizeof from;
    ssize_t n = ::recvfrom(fd, q, sizeof q, 0, reinterpret_cast<sockaddr*>(&from), &len);
    if (n < 17) continue;
    std::vector<uint8_t> r(q, q + n);
    r[2] = 0x81;  // QR, RD
    r[3] = 0x80;  // RA, NOERROR
    const bool a_query = q[n - 4] == 0 && q[n - 3] == 1;
    if (a_query) {
      r[7] = 1;  // ANCOUNT
      const uint8_t rr[] = {0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 203, 0, 113, 77};
      r.insert(r.end(), rr, rr + sizeof rr);
    }
    ::sendto(fd, r.data(), r.size(), 0, reinterpret_cast<sockaddr*>(&from), len);
  }
}

class NetworkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    BERTH_NEED_ROOT();
    st_.import_busybox();
  }

  // Creates a network; returns its inspect object.
  nlohmann::json create(const std::string& name, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"network", "create"};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(name);
    auto r = st_.berth(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(trim(r.out).size(), 64u) << r.out;
    return network_inspect(name);
  }

  nlohmann::json network_inspect(const std::string& name) {
    auto r = st_.berth({"network", "inspect", name});
    auto j = nlohmann::json::parse(r.out, nullptr, false);
    if (r.exit_code != 0 || !j.is_array() || j.empty()) return nlohmann::json::object();
    return j[0];
  }

  // A detached busybox httpd serving "hello from NAME" on port 80.
  void start_web(const std::string& name, const std::string& network,
                 const std::vector<std::string>& aliases = {}) {
    std::vector<std::string> args = {"run", "-d", "--name", name, "--network", network};
    for (const auto& a : aliases) args.insert(args.end(), {"--network-alias", a});
    args.insert(args.end(), {"busybox", "sh", "-c",
                             "mkdir -p /www && echo hello from " + name +
                                 " > /www/index.html && exec httpd -f -p 80 -h /www"});
    auto r = st_.berth(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  RunResult run_on(const std::string& network, const std::vector<std::string>& cmd) {
    std::vector<std::string> args = {"run", "--rm", "--network", network, "busybox"};
    args.insert(args.end(), cmd.begin(), cmd.end());
    return st_.berth(args);
  }

  TempState st_;
};

TEST_F(NetworkTest, CreateListInspectRemove) {
  const std::string name = unique_name("bn");
  auto j = create(name, {"--subnet", "10.231.7.0/24", "--label", "team=a"});
  EXPECT_EQ(j["Name"], name);
  EXPECT_EQ(j["Driver"], "bridge");
  EXPECT_EQ(j["IPAM"]["Config"][0]["Subnet"], "10.231.7.0/24");
  EXPECT_EQ(j["IPAM"]["Config"][0]["Gateway"], "10.231.7.1");
  EXPECT_EQ(j["Labels"]["team"], "a");
  const std::string bridge = j["Options"]["com.docker.network.bridge.name"];
  EXPECT_EQ(bridge, "br-" + j["Id"].get<std::string>().substr(0, 12));
  EXPECT_TRUE(fs::exists("/sys/class/net/" + bridge));

  auto ls = st_.berth({"network", "ls"});
  EXPECT_EQ(ls.exit_code, 0) << ls.err;
  EXPECT_TRUE(ls.out.starts_with("NETWORK ID     NAME")) << ls.out;
  EXPECT_NE(ls.out.find(name), std::string::npos);
  EXPECT_NE(ls.out.find("bridge"), std::string::npos);
  auto q = st_.berth({"network", "ls", "-q", "--filter", "label=team=a"});
  EXPECT_EQ(trim(q.out), j["Id"].get<std::string>().substr(0, 12));
  auto js = st_.berth({"network", "ls", "--format", "json", "--filter", "name=" + name});
  EXPECT_EQ(nlohmann::json::parse(js.out)["Name"], name);

  auto dup = st_.berth({"network", "create", name});
  EXPECT_NE(dup.exit_code, 0);
  EXPECT_NE(dup.err.find("already exists"), std::string::npos) << dup.err;
  auto overlap = st_.berth({"network", "create", "--subnet", "10.231.7.128/25", name + "x"});
  EXPECT_NE(overlap.exit_code, 0);

  auto rm = st_.berth({"network", "rm", name});
  EXPECT_EQ(rm.exit_code, 0) << rm.err;
  EXPECT_EQ(rm.out, name + "\n");
  EXPECT_FALSE(fs::exists("/sys/class/net/" + bridge));
  EXPECT_EQ(st_.berth({"network", "inspect", name}).exit_code, 1);
  EXPECT_EQ(st_.berth({"network", "rm", "bridge"}).exit_code, 1);
}

// Docker's predefined networks: bridge, host (driver host) and none (driver null) are listed
// and inspected, and none of them can be removed.
TEST_F(NetworkTest, HostAndNoneAreListedInspectedAndCannotBeRemoved) {
  auto ls = st_.berth({"network", "ls"});
  ASSERT_EQ(ls.exit_code, 0) << ls.err;
  std::istringstream lines(ls.out);
  std::map<std::string, std::string> driver;  // name → driver
  for (std::string line; std::getline(lines, line);) {
    std::istringstream f(line);
    std::string id, name, drv;
    f >> id >> name >> drv;
    driver[name] = drv;
  }
  EXPECT_EQ(driver["bridge"], "bridge");
  EXPECT_EQ(driver["host"], "host");
  EXPECT_EQ(driver["none"], "null");
  auto q = st_.berth({"network", "ls", "-q", "--filter", "driver=null"});
  EXPECT_EQ(count_lines(q.out), 1) << q.out;
  auto js = st_.berth({"network", "ls", "--format", "json", "--filter", "name=host"});
  EXPECT_EQ(nlohmann::json::parse(js.out)["Driver"], "host");
  const std::string c = unique_name("h");
  ASSERT_EQ(st_.berth({"run", "-d", "--name", c, "--network", "host", "busybox", "sleep", "30"})
                .exit_code,
            0);
  auto host = network_inspect("host");
  EXPECT_EQ(host["Driver"], "host");
  EXPECT_EQ(host["IPAM"]["Config"], nlohmann::json::array());
  EXPECT_EQ(host["Id"].get<std::string>().substr(0, 12),
            trim(st_.berth({"network", "ls", "-q", "--filter", "driver=host"}).out));
  ASSERT_EQ(host["Containers"].size(), 1u);
  EXPECT_EQ(host["Containers"].begin().value()["Name"], c);
  EXPECT_EQ(network_inspect("none")["Driver"], "null");
  for (const char* n : {"host", "none", "bridge"}) {
    auto rm = st_.berth({"network", "rm", n});
    EXPECT_EQ(rm.exit_code, 1);
    EXPECT_EQ(rm.err,
              std::string("Error: ") + n + " is a pre-defined network and cannot be removed\n");
  }
}

TEST_F(NetworkTest, ContainersReachEachOtherByNameAndAlias) {
  const std::string net = unique_name("bn"), other = unique_name("bo");
  const std::string web = unique_name("web");
  create(net);
  create(other);
  start_web(web, net, {"www"});

  auto byname = run_on(net, {"wget", "-qO-", "http://" + web + "/"});
  EXPECT_EQ(byname.exit_code, 0) << byname.err;
  EXPECT_EQ(byname.out, "hello from " + web + "\n");
  auto byalias = run_on(net, {"wget", "-qO-", "http://www/"});
  EXPECT_EQ(byalias.exit_code, 0) << byalias.err;
  EXPECT_EQ(byalias.out, "hello from " + web + "\n");
  auto lookup = run_on(net, {"nslookup", web});
  EXPECT_EQ(lookup.exit_code, 0) << lookup.out << lookup.err;
  auto lookup_alias = run_on(net, {"nslookup", "www"});
  EXPECT_EQ(lookup_alias.exit_code, 0) << lookup_alias.out << lookup_alias.err;

  // From another network the name is unknown.
  auto elsewhere = run_on(other, {"nslookup", web});
  EXPECT_NE(elsewhere.exit_code, 0) << elsewhere.out;

  // The host asks the DNS server on the gateway.
  const std::string gw = network_inspect(net)["IPAM"]["Config"][0]["Gateway"];
  const std::string ip = inspect(st_, web)["NetworkSettings"]["Networks"][net]["IPAddress"];
  auto dig = run_command({"/usr/bin/dig", "@" + gw, "+short", "+tries=1", "+time=2", web});
  EXPECT_EQ(dig.out, ip + "\n") << dig.err;

  // Network in use: refused while the container runs.
  auto busy = st_.berth({"network", "rm", net});
  EXPECT_NE(busy.exit_code, 0);
  EXPECT_NE(busy.err.find("active endpoints"), std::string::npos) << busy.err;
}

TEST_F(NetworkTest, InspectShowsAddressesAndTheyStayAcrossRestarts) {
  const std::string net = unique_name("bn"), name = unique_name("c");
  create(net, {"--subnet", "10.231.9.0/24"});
  auto r = st_.berth({"run", "-d", "--name", name, "--network", net, "--ip", "10.231.9.50",
                      "--network-alias", "db", "busybox", "sleep", "60"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = inspect(st_, name);
  auto ep = j["NetworkSettings"]["Networks"][net];
  EXPECT_EQ(ep["IPAddress"], "10.231.9.50");
  EXPECT_EQ(ep["Gateway"], "10.231.9.1");
  EXPECT_EQ(ep["IPPrefixLen"], 24);
  EXPECT_EQ(ep["MacAddress"], "02:42:0a:e7:09:32");
  EXPECT_EQ(ep["Aliases"][1], "db");
  EXPECT_EQ(j["HostConfig"]["NetworkMode"], net);
  ASSERT_EQ(st_.berth({"restart", "-t", "0", name}).exit_code, 0);
  EXPECT_EQ(inspect(st_, name)["NetworkSettings"]["Networks"][net]["IPAddress"], "10.231.9.50");
  auto taken =
      st_.berth({"run", "--rm", "--network", net, "--ip", "10.231.9.50", "busybox", "true"});
  EXPECT_NE(taken.exit_code, 0);
  EXPECT_NE(taken.err.find("address 10.231.9.50 is already in use"), std::string::npos)
      << taken.err;
}

TEST_F(NetworkTest, DefaultBridgeHostAndNone) {
  auto addr = st_.berth({"run", "--rm", "busybox", "ip", "-4", "-o", "addr", "show", "eth0"});
  EXPECT_EQ(addr.exit_code, 0) << addr.err;
  EXPECT_NE(addr.out.find("inet 10."), std::string::npos) << addr.out;
  auto route = st_.berth({"run", "--rm", "busybox", "ip", "route"});
  EXPECT_NE(route.out.find("default via"), std::string::npos) << route.out;
  auto none = run_on("none", {"ls", "/sys/class/net"});
  EXPECT_EQ(none.out, "lo\n");
  auto host = run_on("host", {"ls", "/sys/class/net"});
  EXPECT_NE(host.out.find("lo"), std::string::npos);
  EXPECT_NE(host.out, "lo\n");
  auto hosts = st_.berth({"run", "--rm", "--add-host", "db:10.1.2.3", "--hostname", "box",
                          "busybox", "cat", "/etc/hosts"});
  EXPECT_NE(hosts.out.find("10.1.2.3\tdb\n"), std::string::npos) << hosts.out;
  EXPECT_NE(hosts.out.find("\tbox\n"), std::string::npos) << hosts.out;
  auto resolv =
      st_.berth({"run", "--rm", "--dns", "9.9.9.9", "busybox", "cat", "/etc/resolv.conf"});
  EXPECT_NE(resolv.out.find("nameserver 9.9.9.9"), std::string::npos) << resolv.out;
}

TEST_F(NetworkTest, NothingLeftAfterRm) {
  const std::string net = unique_name("bn"), name = unique_name("c");
  auto j = create(net);
  const std::string bridge = j["Options"]["com.docker.network.bridge.name"];
  auto r = st_.berth({"run", "-d", "--name", name, "--network", net, "busybox", "sleep", "60"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string prefix = "vb" + trim(r.out).substr(0, 7);
  EXPECT_EQ(links_with_prefix(prefix).size(), 1u);
  ASSERT_EQ(st_.berth({"rm", "-f", name}).exit_code, 0);
  EXPECT_TRUE(links_gone(prefix));
  ASSERT_EQ(st_.berth({"network", "rm", net}).exit_code, 0);
  EXPECT_FALSE(fs::exists("/sys/class/net/" + bridge));
}

// The CLI starts the monitor first and sets up the network while the monitor starts
// (engine/lifecycle/spawn.h). A network that fails half-way (the first of two endpoints made,
// the second's network gone) is undone by both: no veth, cgroup or monitor is left, and the
// container stays "created" with the error, as Docker records it.
TEST_F(NetworkTest, AStartFailingInTheNetworkLeavesNothingAndRecordsTheError) {
  const std::string kept = unique_name("bn"), gone = unique_name("bn"), name = unique_name("c");
  create(kept);
  create(gone);
  auto c = st_.berth({"create", "--name", name, "--network", kept, "busybox", "sleep", "60"});
  ASSERT_EQ(c.exit_code, 0) << c.err;
  const std::string id = trim(c.out);
  ASSERT_EQ(st_.berth({"network", "connect", gone, name}).exit_code, 0);
  ASSERT_EQ(st_.berth({"network", "rm", gone}).exit_code, 0);
  auto r = st_.berth({"start", name});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "Error: network " + gone + " not found\n");
  auto j = nlohmann::json::parse(st_.berth({"inspect", name}).out)[0];
  EXPECT_EQ(j["State"]["Status"], "created");
  EXPECT_EQ(j["State"]["Error"], "network " + gone + " not found");
  EXPECT_TRUE(links_gone("vb" + id.substr(0, 7)));
  EXPECT_FALSE(cgroup_exists(id));
  // The monitor is gone: its lock is free.
  const fs::path lock = st_.runroot() / "containers" / id / "monitor.lock";
  int fd = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  ASSERT_GE(fd, 0);
  EXPECT_EQ(::flock(fd, LOCK_EX | LOCK_NB), 0);
  ::close(fd);
  EXPECT_EQ(st_.berth({"rm", name}).exit_code, 0);
}

// Whether another process holds an flock on path (a monitor its container's monitor.lock).
bool lock_held(const fs::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool held = ::flock(fd, LOCK_EX | LOCK_NB) < 0 && errno == EWOULDBLOCK;
  ::close(fd);
  return held;
}

bool lock_becomes(const fs::path& path, bool held) {
  for (int i = 0; i < 500 && lock_held(path) != held; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  return lock_held(path) == held;
}

// The CLI killed while the monitor waits for the network (the CLI waits for the network lock,
// which the test holds): the monitor sees the network socket close, undoes the start and
// records why; the container stays "created" and starts later.
TEST_F(NetworkTest, ACliKilledBeforeTheNetworkIsReadyLeavesACreatedContainer) {
  const std::string name = unique_name("c");
  auto c = st_.berth({"create", "--name", name, "busybox", "sleep", "60"});
  ASSERT_EQ(c.exit_code, 0) << c.err;
  const std::string id = trim(c.out);
  const fs::path network_lock = st_.runroot() / "locks" / "network.lock";
  int held = ::open(network_lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  ASSERT_GE(held, 0);
  ASSERT_EQ(::flock(held, LOCK_EX), 0);
  pid_t cli = ::fork();
  if (cli == 0) {
    int null = ::open("/dev/null", O_RDWR);
    ::dup2(null, 1);
    ::dup2(null, 2);
    ::execl(BERTH_BIN, BERTH_BIN, "--root", st_.root().c_str(), "--runroot", st_.runroot().c_str(),
            "start", name.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  const fs::path monitor_lock = st_.runroot() / "containers" / id / "monitor.lock";
  const bool monitor_started = lock_becomes(monitor_lock, true);  // it has the spec
  ::kill(cli, SIGKILL);
  ::waitpid(cli, nullptr, 0);
  ::close(held);
  ASSERT_TRUE(monitor_started);
  EXPECT_TRUE(lock_becomes(monitor_lock, false));
  auto j = nlohmann::json::parse(st_.berth({"inspect", name}).out)[0];
  EXPECT_EQ(j["State"]["Status"], "created");
  EXPECT_EQ(j["State"]["Error"],
            "the command starting the container ended before its network was ready");
  EXPECT_FALSE(cgroup_exists(id));
  EXPECT_TRUE(links_gone("vb" + id.substr(0, 7)));
  auto r = st_.berth({"start", name});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(st_.berth({"rm", "-f", name}).exit_code, 0);
}

TEST_F(NetworkTest, ConnectAndDisconnectCreatedContainer) {
  const std::string a = unique_name("bn"), b = unique_name("bm"), name = unique_name("c");
  create(a);
  create(b);
  ASSERT_EQ(
      st_.berth({"create", "--name", name, "--network", a, "busybox", "ip", "-4", "-o", "addr"})
          .exit_code,
      0);
  ASSERT_EQ(st_.berth({"network", "connect", "--alias", "x", b, name}).exit_code, 0);
  auto nets = inspect(st_, name)["NetworkSettings"]["Networks"];
  EXPECT_TRUE(nets.contains(a) && nets.contains(b)) << nets.dump();
  ASSERT_EQ(st_.berth({"network", "disconnect", a, name}).exit_code, 0);
  nets = inspect(st_, name)["NetworkSettings"]["Networks"];
  EXPECT_FALSE(nets.contains(a));
  auto out = st_.berth({"start", "-a", name});
  EXPECT_EQ(out.exit_code, 0) << out.err;
  EXPECT_NE(out.out.find("eth0"), std::string::npos) << out.out;
  EXPECT_EQ(out.out.find("eth1"), std::string::npos) << out.out;
  auto prune = st_.berth({"network", "prune", "-f"});
  EXPECT_EQ(prune.out.find(b), std::string::npos);  // still used by the container
  EXPECT_NE(prune.out.find(a), std::string::npos) << prune.out;
}

// Interfaces of a running container, as its network namespace lists them.
std::string interfaces_of(const TempState& st, const std::string& name) {
  auto pid = inspect(st, name)["State"]["Pid"].get<int>();
  std::ifstream dev("/proc/" + std::to_string(pid) + "/net/dev");
  std::string line, out;
  for (int i = 0; std::getline(dev, line); ++i) {
    if (i < 2) continue;  // two header lines
    std::string ifname = line.substr(0, line.find(':'));
    out += ifname.substr(ifname.find_first_not_of(' ')) + " ";
  }
  return out;
}

TEST_F(NetworkTest, ConnectAndDisconnectRunningContainer) {
  const std::string net = unique_name("bn"), name = unique_name("c");
  create(net);
  ASSERT_EQ(st_.berth({"run", "-d", "--name", name, "busybox", "sleep", "60"}).exit_code, 0);
  EXPECT_EQ(interfaces_of(st_, name), "lo eth0 ");
  auto c = st_.berth({"network", "connect", "--alias", "late", net, name});
  ASSERT_EQ(c.exit_code, 0) << c.err;
  EXPECT_EQ(interfaces_of(st_, name), "lo eth0 eth1 ");
  EXPECT_EQ(run_on(net, {"nslookup", "late"}).exit_code, 0);
  ASSERT_EQ(st_.berth({"network", "disconnect", net, name}).exit_code, 0);
  EXPECT_EQ(interfaces_of(st_, name), "lo eth0 ");
  EXPECT_NE(run_on(net, {"nslookup", "late"}).exit_code, 0);
}

// A berth killed between making a bridge and writing its record leaves a bridge marked with
// this root; the next network command removes it (and leaves other roots' alone).
TEST_F(NetworkTest, StaleBridgeOfThisRootIsReconciled) {
  const std::string mine = unique_name("brs"), other = unique_name("bro");
  for (const auto& [name, owner] : {std::pair{mine, "berth:" + st_.root().string()},
                                    std::pair{other, std::string("berth:/elsewhere")}}) {
    ASSERT_EQ(run_command({"/usr/sbin/ip", "link", "add", name, "type", "bridge"}).exit_code, 0);
    ASSERT_EQ(run_command({"/usr/sbin/ip", "link", "set", name, "alias", owner}).exit_code, 0);
  }
  EXPECT_EQ(st_.berth({"network", "ls"}).exit_code, 0);
  EXPECT_FALSE(fs::exists("/sys/class/net/" + mine));
  // The bridges berth makes carry the same mark (the kernel ignores it on creation).
  const std::string net = unique_name("bm");
  create(net);
  const std::string bridge = "br-" + network_inspect(net)["Id"].get<std::string>().substr(0, 12);
  EXPECT_EQ(read_file("/sys/class/net/" + bridge + "/ifalias"),
            "berth:" + st_.root().string() + "\n");
  EXPECT_TRUE(fs::exists("/sys/class/net/" + other));
  run_command({"/usr/sbin/ip", "link", "del", other});
}

// A root wiped under berth (records gone, bridge left): removing the stale bridge also takes
// its firewall rules, so nothing tagged with it stays in `table ip berth`.
TEST_F(NetworkTest, StaleBridgeGoesWithItsFirewallRules) {
  const std::string net = unique_name("bw");
  create(net);
  const std::string bridge = "br-" + network_inspect(net)["Id"].get<std::string>().substr(0, 12);
  auto rules = [&] { return run_command({"/usr/sbin/nft", "list", "table", "ip", "berth"}).out; };
  ASSERT_NE(rules().find("berth net " + bridge), std::string::npos);
  fs::remove(st_.root() / "networks" / (net + ".json"));
  EXPECT_EQ(st_.berth({"__network-reset"}).exit_code, 0);
  EXPECT_FALSE(fs::exists("/sys/class/net/" + bridge));
  EXPECT_EQ(rules().find("berth net " + bridge), std::string::npos);
}

// Names outside berth go to the host's resolvers (those of /etc/resolv.conf, here a stand-in on
// loopback bound over it in a private mount namespace for the one command), and the gateway's
// DNS answers `dig` run from the host inside the container's network namespace.
TEST_F(NetworkTest, HostResolversAnswerOutsideNamesAndDigFromTheContainerNetns) {
  const std::string net = unique_name("bn"), web = unique_name("w");
  create(net);
  start_web(web, net);
  const std::string gw = network_inspect(net)["IPAM"]["Config"][0]["Gateway"];
  const std::string pid = std::to_string(inspect(st_, web)["State"]["Pid"].get<int>());
  const std::string ip =
      inspect(st_, web)["NetworkSettings"]["Networks"][net]["IPAddress"].get<std::string>();
  auto dig = run_command({"/usr/bin/nsenter", "-t", pid, "-n", "/usr/bin/dig", "@" + gw, "+short",
                          "+tries=2", "+time=2", web});
  EXPECT_EQ(trim(dig.out), ip) << dig.err;

  int ready[2];
  ASSERT_EQ(::pipe2(ready, O_CLOEXEC), 0);
  pid_t resolver = ::fork();
  if (resolver == 0) fake_host_resolver(ready[1]);
  ::close(ready[1]);
  char ok = 0;
  EXPECT_EQ(::read(ready[0], &ok, 1), 1);
  ::close(ready[0]);
  const fs::path conf = st_.dir() / "host-resolv.conf";
  write_file_atomic(conf, "nameserver 127.0.99.53\n");
  auto r = run_command(
      {"/usr/bin/unshare", "--mount", "sh", "-c",
       "mount --bind " + conf.string() + " /etc/resolv.conf && exec " BERTH_BIN " --root " +
           st_.root().string() + " --runroot " + st_.runroot().string() + " run --rm --network " +
           net + " busybox nslookup -type=a outside.example"});
  ::kill(resolver, SIGKILL);
  ::waitpid(resolver, nullptr, 0);
  ASSERT_EQ(ok, '1');
  EXPECT_NE(r.out.find("203.0.113.77"), std::string::npos) << r.out << r.err;
}

// A container that ends on its own (no CLI involved) leaves the DNS table through the
// monitor's `__cleanup`; the DNS process goes when no user network has a container.
TEST_F(NetworkTest, ExitWithoutCliDropsTheNameAndIdleDnsExits) {
  const std::string net = unique_name("bn"), keep = unique_name("k"), brief = unique_name("b");
  create(net);
  ASSERT_EQ(st_.berth({"run", "-d", "--name", keep, "--network", net, "busybox", "sleep", "60"})
                .exit_code,
            0);
  ASSERT_EQ(st_.berth({"run", "-d", "--name", brief, "--network", net, "busybox", "sleep", "1"})
                .exit_code,
            0);
  const std::string gw = network_inspect(net)["IPAM"]["Config"][0]["Gateway"];
  auto dig = [&](const std::string& name) {
    return run_command({"/usr/bin/dig", "@" + gw, "+short", "+tries=1", "+time=2", name}).out;
  };
  EXPECT_FALSE(dig(brief).empty());
  EXPECT_EQ(st_.berth({"wait", brief}).exit_code, 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the monitor's __cleanup
  EXPECT_EQ(dig(brief), "");
  EXPECT_FALSE(dig(keep).empty());
  const auto pid_file = network::dns_pid_path(st_.runroot());
  EXPECT_TRUE(network::running_dns_server(pid_file).has_value());
  ASSERT_EQ(st_.berth({"rm", "-f", keep, brief}).exit_code, 0);
  // It stays for the grace period (the next `run` on a user network finds it), then goes.
  const auto rm_done = std::chrono::steady_clock::now();
  EXPECT_TRUE(network::running_dns_server(pid_file).has_value());
  bool gone = false;
  const auto limit = network::kDnsIdleGrace + std::chrono::seconds(2);
  while (!gone && std::chrono::steady_clock::now() - rm_done < limit) {
    gone = !network::running_dns_server(pid_file).has_value();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(gone);
  EXPECT_GE(std::chrono::steady_clock::now() - rm_done,
            network::kDnsIdleGrace - std::chrono::milliseconds(500));
}

// State deleted under the DNS process (no `network reset`, e.g. a test's temp dir removed): the
// process notices its root and runroot gone and exits instead of running forever.
TEST_F(NetworkTest, DnsProcessExitsWhenItsStateIsDeleted) {
  const std::string net = unique_name("bn");
  create(net);
  const std::string name = unique_name("w");
  ASSERT_EQ(st_.berth({"run", "-d", "--name", name, "--network", net, "busybox", "sleep", "60"})
                .exit_code,
            0);
  auto pid = network::running_dns_server(network::dns_pid_path(st_.runroot()));
  ASSERT_TRUE(pid.has_value());
  // The server now waits out its grace period, then needs the network lock under the root.
  ASSERT_EQ(st_.berth({"rm", "-f", name}).exit_code, 0);
  ASSERT_EQ(st_.berth({"network", "rm", net}).exit_code, 0);
  fs::remove_all(st_.runroot());
  fs::remove_all(st_.root());
  const auto deleted = std::chrono::steady_clock::now();
  while (process_alive(*pid) &&
         std::chrono::steady_clock::now() - deleted < std::chrono::seconds(3))
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_FALSE(process_alive(*pid)) << "DNS process " << *pid << " outlived its state";
  if (process_alive(*pid)) ::kill(*pid, SIGKILL);
}

// A container started within the grace period reuses the DNS process (no new one).
TEST_F(NetworkTest, DnsProcessIsReusedWithinItsGracePeriod) {
  const std::string net = unique_name("bn");
  create(net);
  ASSERT_EQ(run_on(net, {"true"}).exit_code, 0);
  const auto pid_file = network::dns_pid_path(st_.runroot());
  auto first = network::running_dns_server(pid_file);
  ASSERT_TRUE(first.has_value());
  const std::string name = unique_name("w");
  start_web(name, net);
  EXPECT_EQ(network::running_dns_server(pid_file), first);
  const std::string gw = network_inspect(net)["IPAM"]["Config"][0]["Gateway"];
  EXPECT_FALSE(
      run_command({"/usr/bin/dig", "@" + gw, "+short", "+tries=1", "+time=2", name}).out.empty());
}

// 100 containers on one network start, each name resolves from one of them, and rm -f of
// them all leaves no veth.
// --ip-range: containers get addresses from the range, inspect shows it, a fixed --ip may lie
// outside it; a range outside the subnet, or without --subnet, is refused.
TEST_F(NetworkTest, IpRangeHandsOutAddressesFromTheRange) {
  const std::string net = unique_name("br");
  auto j = create(net, {"--subnet", "10.123.0.0/16", "--ip-range", "10.123.7.0/24"});
  EXPECT_EQ(j["IPAM"]["Config"][0]["IPRange"], "10.123.7.0/24");
  auto addr = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = {"run", "--rm", "--network", net};
    args.insert(args.end(), extra.begin(), extra.end());
    args.insert(args.end(), {"busybox", "sh", "-c", "ip -4 -o addr show eth0"});
    auto r = st_.berth(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    const size_t inet = r.out.find("inet ");
    return inet == std::string::npos ? r.out : r.out.substr(inet + 5, r.out.find('/') - inet - 5);
  };
  EXPECT_EQ(addr({}), "10.123.7.0");
  EXPECT_EQ(addr({"--ip", "10.123.9.9"}), "10.123.9.9");
  auto bad = st_.berth({"network", "create", "--subnet", "10.124.0.0/16", "--ip-range",
                        "10.125.0.0/24", unique_name("bx")});
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.err.find("is not inside subnet"), std::string::npos) << bad.err;
  auto nosubnet =
      st_.berth({"network", "create", "--ip-range", "10.126.0.0/24", unique_name("by")});
  EXPECT_NE(nosubnet.exit_code, 0);
  EXPECT_EQ(st_.berth({"network", "rm", net}).exit_code, 0);
}

TEST_F(NetworkTest, HundredContainersOnOneNetwork) {
  const std::string net = unique_name("bn");
  create(net);
  const std::string prefix = unique_name("h");
  std::vector<std::string> rm = {"rm", "-f"};
  std::vector<std::string> vprefixes;
  for (int i = 0; i < 100; ++i) {
    auto r = st_.berth({"run", "-d", "--name", prefix + std::to_string(i), "--network", net,
                        "busybox", "sleep", "300"});
    ASSERT_EQ(r.exit_code, 0) << i << r.err;
    rm.push_back(prefix + std::to_string(i));
    vprefixes.push_back("vb" + trim(r.out).substr(0, 7));
  }
  std::string script = "for i in $(seq 0 99); do nslookup " + prefix +
                       "$i >/dev/null || { echo fail $i; exit 1; }; done";
  auto r = run_on(net, {"sh", "-c", script});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  ASSERT_EQ(st_.berth(rm, "", 300).exit_code, 0);
  for (const auto& p : vprefixes) EXPECT_TRUE(links_gone(p)) << p;
}

}  // namespace
}  // namespace berth::test
