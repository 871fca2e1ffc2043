// `berth compose up -d` and `down` killed with SIGKILL at many points of their run (network
// creation, container create, start, stop, removal): the next `up` converges with exactly one
// running container per service, and `down` leaves no container, network, bridge, veth,
// nftables rule, cgroup, mount or process of the project; a named volume and its data survive
// every killed command but `down -v`.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "tests/integration/compose/compose_fixture.h"

namespace berth::test {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Not the fixture's kPort: the other compose tests may publish that one at the same time.
constexpr int kFaultPort = 28577;
const std::vector<std::string> kServices = {"db", "web", "worker", "client"};

std::string faults_stack() {
  return R"(
services:
  db:
    image: busybox
    command: ["sleep", "600"]
    stop_signal: SIGKILL
    networks: [back]
    volumes: [data:/data]
  web:
    image: busybox
    command: ["sh", "-c", "mkdir -p /www && echo ok > /www/index.html && exec httpd -f -p 80 -h /www"]
    stop_signal: SIGKILL
    ports: ["127.0.0.1:)" +
         std::to_string(kFaultPort) + R"(:80"]
    networks: [front, back]
    depends_on: [db]
  worker:
    image: busybox
    command: ["sleep", "600"]
    stop_signal: SIGKILL
    networks: [back]
    depends_on: [db]
  client:
    image: busybox
    command: ["sleep", "600"]
    stop_signal: SIGKILL
    networks: [front]
    depends_on: [web]
networks:
  front: {}
  back: {}
volumes:
  data: {}
)";
}

class ComposeFaults : public ComposeUp {
 protected:
  void SetUp() override {
    ComposeUp::SetUp();
    if (IsSkipped()) return;
    write(faults_stack());
    for (const auto& e : fs::directory_iterator("/sys/class/net"))
      links_before_.insert(e.path().filename().string());
  }

  // Runs `berth compose ... args` as a child and SIGKILLs it `delay` after the spawn (when it
  // has not ended by then). Only that process is killed: the monitors it started live on, as
  // they do when a user's berth is killed.
  void run_killed(const std::vector<std::string>& args, std::chrono::microseconds delay) {
    std::vector<std::string> argv{BERTH_BIN,
                                  "--root",
                                  st_.root().string(),
                                  "--runroot",
                                  st_.runroot().string(),
                                  "compose",
                                  "-f",
                                  (st_.dir() / "compose.yaml").string(),
                                  "-p",
                                  project_};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> c;
    for (auto& a : argv) c.push_back(a.data());
    c.push_back(nullptr);
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      const int null = ::open("/dev/null", O_RDWR | O_CLOEXEC);
      ::dup2(null, 0);
      ::dup2(null, 1);
      ::dup2(null, 2);
      ::execv(c[0], c.data());
      ::_exit(127);
    }
    std::this_thread::sleep_for(delay);
    ::kill(pid, SIGKILL);
    int st = 0;
    ::waitpid(pid, &st, 0);
  }

  // The project's containers as `inspect` shows them; their ids are remembered.
  nlohmann::json containers() {
    auto ids = st_.berth({"ps", "-aq", "--no-trunc"});
    EXPECT_EQ(ids.exit_code, 0) << ids.err;
    std::vector<std::string> args{"inspect"};
    std::istringstream in(ids.out);
    for (std::string id; std::getline(in, id);)
      if (!id.empty()) {
        args.push_back(id);
        seen_ids_.insert(id);
      }
    if (args.size() == 1) return nlohmann::json::array();
    auto r = st_.berth(args);
    auto j = nlohmann::json::parse(r.out, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << r.err;
    return j.is_discarded() ? nlohmann::json::array() : j;
  }

  void remember_networks() {
    for (const char* n : {"front", "back"}) {
      auto r = st_.berth({"network", "inspect", "--format", "{{.Id}}", project_ + "_" + n});
      if (r.exit_code == 0) seen_bridges_.insert("br-" + trim(r.out).substr(0, 12));
    }
  }

  // Exactly one container per service, named and labelled as Compose does, all running; the
  // volume's data still there.
  void expect_converged(const std::string& when, bool data = true) {
    auto all = containers();
    remember_networks();
    ASSERT_EQ(all.size(), kServices.size()) << when << ": " << all.dump();
    std::set<std::string> names;
    for (const auto& c : all) {
      const auto& labels = c["Config"]["Labels"];
      const std::string service = labels.value("com.docker.compose.service", "");
      EXPECT_EQ(labels.value("com.docker.compose.project", ""), project_) << when;
      EXPECT_EQ(labels.value("com.docker.compose.container-number", ""), "1") << when;
      EXPECT_EQ(c.value("Name", ""), "/" + project_ + "-" + service + "-1") << when;
      EXPECT_TRUE(c["State"].value("Running", false)) << when << ": " << c["State"].dump();
      names.insert(service);
    }
    EXPECT_EQ(names, std::set<std::string>(kServices.begin(), kServices.end())) << when;
    // Each network has its bridge and its firewall rules (masquerade, isolation).
    const std::string rules = run_command({"/usr/sbin/nft", "list", "table", "ip", "berth"}).out;
    for (const char* n : {"front", "back"}) {
      auto r = st_.berth({"network", "inspect", "--format", "{{.Id}}", project_ + "_" + n});
      ASSERT_EQ(r.exit_code, 0) << when << ": " << r.err;
      const std::string bridge = "br-" + trim(r.out).substr(0, 12);
      EXPECT_TRUE(fs::exists("/sys/class/net/" + bridge)) << when << ": no bridge " << bridge;
      EXPECT_NE(rules.find("berth net " + bridge + "\""), std::string::npos)
          << when << ": no firewall rules for network " << n;
    }
    if (data) {
      EXPECT_EQ(trim(st_.berth({"exec", project_ + "-db-1", "cat", "/data/kept"}).out), "data")
          << when << ": the named volume lost its data";
    }
  }

  // Some of what is checked goes asynchronously after `down` (a veth goes with its namespace,
  // a monitor ends after its teardown): retried for a few seconds. The DNS server stays for
  // its idle grace (dns_control.h) after the last network goes: only the last check of a test
  // (dns_too) waits for it.
  void expect_nothing_left(const std::string& when, bool dns_too = false, bool volume = true) {
    auto r = st_.berth({"ps", "-aq", "--no-trunc"});
    EXPECT_EQ(trim(r.out), "") << when << ": a container is left";
    std::string left;
    for (int i = 0; i < 1000; ++i) {
      left = what_is_left(dns_too);
      if (left.empty()) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT_EQ(left, "") << when;
    for (const char* n : {"front", "back"})
      EXPECT_NE(st_.berth({"network", "inspect", project_ + "_" + n}).exit_code, 0)
          << when << ": network " << n << " is left";
    if (volume) {
      EXPECT_EQ(st_.berth({"volume", "inspect", project_ + "_data"}).exit_code, 0)
          << when << ": the named volume is gone";
    } else {
      EXPECT_EQ(trim(st_.berth({"volume", "ls", "-q"}).out), "") << when << ": a volume is left";
    }
  }

  std::string what_is_left(bool dns_too) {
    std::string left;
    const std::string owner = "berth:" + st_.root().string();
    for (const auto& e : fs::directory_iterator("/sys/class/net")) {
      const std::string name = e.path().filename().string();
      if (trim(read_file_text(e.path() / "ifalias")) == owner) left += " link " + name + ";";
      for (const auto& id : seen_ids_)
        if (name.starts_with("vb" + id.substr(0, 7))) left += " veth " + name + ";";
      if (seen_bridges_.contains(name)) left += " bridge " + name + ";";
      // A bridge that a berth killed before it was marked as ours: it has no owner.
      if (name.starts_with("br-") && !links_before_.contains(name) &&
          trim(read_file_text(e.path() / "ifalias")).empty())
        left += " bridge without owner " + name + ";";
    }
    const std::string rules = run_command({"/usr/sbin/nft", "list", "table", "ip", "berth"}).out;
    for (const auto& id : seen_ids_) {
      if (rules.find("berth ctr " + id) != std::string::npos) left += " rules of " + id + ";";
      if (cgroup_exists(id)) left += " cgroup " + id + ";";
    }
    for (const auto& b : seen_bridges_)
      if (rules.find("berth net " + b + "\"") != std::string::npos) left += " rules of " + b + ";";
    if (rules.find("dport " + std::to_string(kFaultPort)) != std::string::npos)
      left += " DNAT of port " + std::to_string(kFaultPort) + ";";
    if (mounted_below(st_.root())) left += " a mount below the root;";
    left += processes_of_root(dns_too);
    return left;
  }

  // Processes (monitors, DNS, proxies) holding a file of this state root open, or naming it.
  std::string processes_of_root(bool dns_too) {
    std::string left;
    const std::string root = st_.root().string(), runroot = st_.runroot().string();
    auto ours = [&](const std::string& s) {
      return s.find(root) != std::string::npos || s.find(runroot) != std::string::npos;
    };
    std::error_code ec;
    for (const auto& p : fs::directory_iterator("/proc", ec)) {
      const std::string pid = p.path().filename().string();
      if (pid.find_first_not_of("0123456789") != std::string::npos ||
          pid == std::to_string(::getpid()))
        continue;
      std::string cmdline = read_file_text(p.path() / "cmdline");
      std::replace(cmdline.begin(), cmdline.end(), '\0', ' ');
      if (!dns_too && cmdline.find(" __dns ") != std::string::npos) continue;
      bool hit = ours(cmdline);
      std::error_code fec;
      for (const auto& fd : fs::directory_iterator(p.path() / "fd", fec)) {
        std::error_code lec;
        if (hit) break;
        hit = ours(fs::read_symlink(fd.path(), lec).string());
      }
      if (hit && process_alive(std::stoi(pid))) left += " process " + pid + " (" + cmdline + ");";
    }
    return left;
  }

  // The span from 0 to a bit more than `total`, in `steps` kill points.
  static std::vector<std::chrono::microseconds> kill_points(Clock::duration total, int steps) {
    std::vector<std::chrono::microseconds> out;
    const auto span = std::chrono::duration_cast<std::chrono::microseconds>(total) * 11 / 10;
    for (int i = 0; i < steps; ++i) out.push_back(span * i / steps);
    return out;
  }

  // `up -d` from nothing, timed; the volume gets its data.
  Clock::duration first_up() {
    const auto t0 = Clock::now();
    auto r = compose({"up", "-d"});
    const auto took = Clock::now() - t0;
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(
        st_.berth({"exec", project_ + "-db-1", "sh", "-c", "echo data > /data/kept"}).exit_code, 0);
    return took;
  }

  std::set<std::string> seen_ids_;
  std::set<std::string> seen_bridges_;
  std::set<std::string> links_before_;
};

constexpr int kSteps = 16;

TEST_F(ComposeFaults, AnUpKilledAnywhereThenUpConvergesAndDownLeavesNothing) {
  const auto took = first_up();
  expect_converged("the first up");
  ASSERT_EQ(compose({"down", "-t", "0"}).exit_code, 0);
  expect_nothing_left("the first down");
  for (auto at : kill_points(took, kSteps)) {
    const std::string when = "up killed after " + std::to_string(at.count()) + " us";
    run_killed({"up", "-d"}, at);
    containers();  // what the killed up made: checked after the down
    remember_networks();
    auto r = compose({"up", "-d"});
    ASSERT_EQ(r.exit_code, 0) << when << ": " << r.err;
    expect_converged(when);
    r = compose({"down", "-t", "0"});
    ASSERT_EQ(r.exit_code, 0) << when << ": " << r.err;
    expect_nothing_left(when);
    if (HasFailure()) return;
  }
  expect_nothing_left("at the end", true);
}

TEST_F(ComposeFaults, AnUpKilledAnywhereThenDownLeavesNothing) {
  const auto took = first_up();
  ASSERT_EQ(compose({"down", "-t", "0"}).exit_code, 0);
  for (auto at : kill_points(took, kSteps)) {
    const std::string when = "up killed after " + std::to_string(at.count()) + " us";
    run_killed({"up", "-d"}, at);
    containers();
    remember_networks();
    auto r = compose({"down", "-t", "0"});
    ASSERT_EQ(r.exit_code, 0) << when << ": " << r.err;
    expect_nothing_left(when);
    if (HasFailure()) return;
  }
  expect_nothing_left("at the end", true);
}

// From nothing each time, so that the kill falls in the named volume's creation too; `down -v`
// must then find the volume as the project's.
TEST_F(ComposeFaults, AnUpFromNothingKilledAnywhereThenUpAndDownVLeaveNothing) {
  const auto took = first_up();
  ASSERT_EQ(compose({"down", "-v", "-t", "0"}).exit_code, 0);
  for (auto at : kill_points(took, kSteps)) {
    const std::string when = "up killed after " + std::to_string(at.count()) + " us";
    run_killed({"up", "-d"}, at);
    containers();
    remember_networks();
    auto r = compose({"up", "-d"});
    ASSERT_EQ(r.exit_code, 0) << when << ": " << r.err;
    expect_converged(when, false);
    r = compose({"down", "-v", "-t", "0"});
    ASSERT_EQ(r.exit_code, 0) << when << ": " << r.err;
    expect_nothing_left(when, false, false);
    if (HasFailure()) return;
  }
}

TEST_F(ComposeFaults, ADownKilledAnywhereThenUpOrDownConvergesAndKeepsTheVolume) {
  first_up();
  expect_converged("the first up");
  auto t0 = Clock::now();
  ASSERT_EQ(compose({"down", "-t", "0"}).exit_code, 0);
  const auto took = Clock::now() - t0;
  int round = 0;
  for (auto at : kill_points(took, kSteps)) {
    const std::string when = "down killed after " + std::to_string(at.count()) + " us";
    auto r = compose({"up", "-d"});
    ASSERT_EQ(r.exit_code, 0) << when << ": " << r.err;
    expect_converged(when);
    run_killed({"down", "-t", "0"}, at);
    containers();
    if (++round % 2 == 0) {  // every other time, an `up` right after the killed `down`
      r = compose({"up", "-d"});
      ASSERT_EQ(r.exit_code, 0) << when << ", then up: " << r.err;
      expect_converged(when + ", then up");
    }
    r = compose({"down", "-t", "0"});
    ASSERT_EQ(r.exit_code, 0) << when << ": " << r.err;
    expect_nothing_left(when);
    if (HasFailure()) return;
  }
  auto r = compose({"up", "-d"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  expect_converged("an up after the killed downs");
}

}  // namespace
}  // namespace berth::test
