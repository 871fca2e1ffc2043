// The DNS server in its real setting, inside a throwaway network namespace: it starts before
// the bridge holding its gateway exists (IP_FREEBIND), then a "container" network namespace on
// a veth to that bridge asks it with dig, and so does the "host" side. Links are made with
// iproute2 here, in the test only; the namespace and everything in it vanish with the forked
// child, so nothing is left on the machine whatever happens.
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "common/atomic_file.h"
#include "network/dns_server.h"
#include "tests/support/harness.h"

namespace berth::network {
namespace {

namespace fs = std::filesystem;

constexpr const char* kTable = R"({
  "networks": [{"name": "front", "subnet": "10.80.0.0/24", "gateway": "10.80.0.1"}],
  "containers": [
    {"id": "aaaaaaaaaaaa1111", "name": "web-1",
     "endpoints": [{"network": "front", "ipv4": "10.80.0.2", "aliases": ["web"]}]},
    {"id": "bbbbbbbbbbbb2222", "name": "web-2",
     "endpoints": [{"network": "front", "ipv4": "10.80.0.3", "aliases": ["web"]}]}]})";

bool sh(const std::string& cmd) {
  return std::system(cmd.c_str()) == 0;
}

// dig's +short answer to `name` from the current network namespace, "" when it failed.
std::string dig_short(const std::string& name, const std::string& type = "A") {
  std::string cmd = "dig @10.80.0.1 +tries=1 +time=2 +short " + name + " " + type;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return "";
  std::string out;
  char buf[256];
  while (size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  return ::pclose(p) == 0 ? out : "";
}

// A container: a child in a network namespace of its own, waiting on `go` for its veth.
// Returns its exit code: 0 when every answer was right.
int container(int unshared, int go) {
  char c;
  if (::unshare(CLONE_NEWNET) != 0 || ::write(unshared, "u", 1) != 1 || ::read(go, &c, 1) != 1)
    return 10;
  if (!sh("ip link set lo up && ip addr add 10.80.0.2/24 dev veth-c && ip link set veth-c up"))
    return 11;
  std::string web = dig_short("web");
  std::string self = dig_short("web-1");
  std::string ptr = dig_short("3.0.80.10.in-addr.arpa", "PTR");
  std::string none = dig_short("web-1", "AAAA");
  bool ok = (web == "10.80.0.2\n10.80.0.3\n" || web == "10.80.0.3\n10.80.0.2\n") &&
            self == "10.80.0.2\n" && ptr == "web-2.\n" && none.empty();
  if (!ok) std::fprintf(stderr, "web=%s self=%s ptr=%s\n", web.c_str(), self.c_str(), ptr.c_str());
  return ok ? 0 : 12;
}

pid_t start_server(const fs::path& table) {
  int ready[2];
  if (::pipe2(ready, O_CLOEXEC) != 0) return -1;
  pid_t pid = ::fork();
  if (pid == 0) {
    DnsServerOptions o;
    o.table = table;
    o.ready_fd = ready[1];
    ::close(ready[0]);
    _exit(run_dns_server(o));
  }
  ::close(ready[1]);
  char c;
  pollfd p{ready[0], POLLIN, 0};
  bool ok = ::poll(&p, 1, 10000) == 1 && ::read(ready[0], &c, 1) == 1;
  ::close(ready[0]);
  return ok ? pid : -1;
}

// The "host": a fresh network namespace with the server, a bridge and a container on it.
int host(const fs::path& table) {
  if (::unshare(CLONE_NEWNET) != 0 || !sh("ip link set lo up")) return 20;
  pid_t server = start_server(table);  // before the bridge: its gateway is not there yet
  if (server < 0) return 21;
  int go[2], unshared[2];
  if (::pipe2(go, O_CLOEXEC) != 0 || ::pipe2(unshared, O_CLOEXEC) != 0) return 22;
  pid_t ctr = ::fork();
  if (ctr == 0) _exit(container(unshared[1], go[0]));
  ::close(unshared[1]);
  char c;
  if (::read(unshared[0], &c, 1) != 1) return 26;  // its veth end goes into its own netns
  std::string setup =
      "ip link add br-dnstest type bridge && ip addr add 10.80.0.1/24 dev br-dnstest && "
      "ip link set br-dnstest up && ip link add veth-h type veth peer name veth-c && "
      "ip link set veth-c netns " +
      std::to_string(ctr) + " && ip link set veth-h master br-dnstest up";
  int rc = sh(setup) ? 0 : 23;
  ::write(go[1], "g", 1);
  int status = 0;
  ::waitpid(ctr, &status, 0);
  if (rc == 0) rc = WIFEXITED(status) ? WEXITSTATUS(status) : 24;
  // From the host side the source is the gateway itself: it sees that network.
  if (rc == 0 && dig_short("web-2") != "10.80.0.3\n") rc = 25;
  ::kill(server, SIGTERM);
  ::waitpid(server, &status, 0);
  return rc;
}

TEST(DnsBridge, ContainerOnABridgeResolvesThroughTheGateway) {
  if (!test::is_root()) GTEST_SKIP() << "needs root (network namespaces)";
  if (!fs::exists("/usr/bin/dig") || (!fs::exists("/usr/sbin/ip") && !fs::exists("/sbin/ip")))
    GTEST_SKIP() << "dig or ip missing (scripts/setup-debian.sh)";
  fs::path dir = berth::test::make_temp_dir("berth-dnsbr-");
  write_file_atomic(dir / "table.json", kTable);
  pid_t pid = ::fork();
  if (pid == 0) _exit(host(dir / "table.json"));
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  fs::remove_all(dir);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "see the step codes in host() and container()";
}

}  // namespace
}  // namespace berth::network
