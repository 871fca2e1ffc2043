// `compose create`, `up --no-start`, `restart`, `up --no-deps`, `up --wait`, `rm`'s question
// and `down --rmi` with real containers: what each leaves created, running or restarted, and
// how --wait ends (ready, a container that dies, a healthcheck that fails, a deadline).
#include <gtest/gtest.h>

#include <chrono>

#include "tests/integration/compose/compose_fixture.h"

namespace berth::test {
namespace {

std::string status_of(TempState& st, const std::string& name) {
  auto j = inspect(st, name);
  return j.is_null() ? "" : j["State"]["Status"].get<std::string>();
}

TEST_F(ComposeUp, CreateMakesContainersWithoutStartingThemAndStartRunsThem) {
  write(stack());
  auto r = compose({"create"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(status_of(st_, project_ + "-web-1"), "created");
  EXPECT_EQ(status_of(st_, project_ + "-client-1"), "created");
  EXPECT_EQ(r.err.find("Started"), std::string::npos) << r.err;
  ASSERT_EQ(compose({"up", "-d", "--no-start"}).exit_code, 0);
  EXPECT_EQ(status_of(st_, project_ + "-web-1"), "created") << "--no-start starts nothing";
  r = compose({"start"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(status_of(st_, project_ + "-web-1"), "running");
  EXPECT_EQ(fetch_from_client("web"), "served-by-web\n");
}

TEST_F(ComposeUp, RestartRestartsEveryContainerOfTheServiceInDependencyOrder) {
  write(stack());
  ASSERT_EQ(compose({"up", "-d"}).exit_code, 0);
  const std::string web = id_of("web");
  const std::string started = inspect(st_, web)["State"]["StartedAt"];
  ASSERT_EQ(compose({"stop", "-t", "0", "client"}).exit_code, 0);
  auto r = compose({"restart", "-t", "1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_LT(r.err.find("-web-1  Started"), r.err.find("-client-1  Restarting")) << r.err;
  EXPECT_EQ(id_of("web"), web) << "the same container";
  EXPECT_GT(inspect(st_, web)["State"]["StartedAt"].get<std::string>(), started);
  EXPECT_EQ(status_of(st_, project_ + "-client-1"), "running") << "a stopped one is started";
  EXPECT_EQ(fetch_from_client("web"), "served-by-web\n");
  EXPECT_NE(compose({"restart", "nope"}).exit_code, 0);
}

TEST_F(ComposeUp, NoDepsStartsOnlyTheNamedService) {
  write(stack());
  auto r = compose({"up", "-d", "--no-deps", "client"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(status_of(st_, project_ + "-client-1"), "running");
  EXPECT_EQ(id_of("web"), "") << "its dependency was left alone";
}

const char* kWaitStack = R"(
services:
  db:
    image: busybox
    command: ["sh", "-c", "sleep 1; touch /tmp/ready; exec sleep 600"]
    stop_signal: SIGKILL
    healthcheck:
      test: ["CMD", "test", "-f", "/tmp/ready"]
      interval: 100ms
      start_period: 20s
      start_interval: 100ms
  migrate:
    image: busybox
    command: ["true"]
  app:
    image: busybox
    command: ["sleep", "600"]
    stop_signal: SIGKILL
    depends_on:
      migrate:
        condition: service_completed_successfully
)";

TEST_F(ComposeUp, WaitReturnsOnceEveryServiceIsRunningOrHealthy) {
  write(kWaitStack);
  auto r = compose({"up", "--wait"});  // --wait implies -d
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(inspect(st_, project_ + "-db-1")["State"]["Health"]["Status"], "healthy");
  EXPECT_NE(r.err.find(" Container " + project_ + "-db-1  Healthy"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(" Container " + project_ + "-app-1  Healthy"), std::string::npos) << r.err;
  // migrate is waited for as the services that depend on it wait: to exit 0.
  EXPECT_EQ(status_of(st_, project_ + "-migrate-1"), "exited");
}

TEST_F(ComposeUp, WaitFailsAtOnceWithTheReasonWhenAContainerDies) {
  write(std::string(kWaitStack) + R"(
  crash:
    image: busybox
    command: ["sh", "-c", "sleep 0.3; exit 3"]
)");
  const auto t0 = std::chrono::steady_clock::now();
  auto r = compose({"up", "-d", "--wait"});
  const auto took = std::chrono::steady_clock::now() - t0;
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("container " + project_ + "-crash-1 exited (3)"), std::string::npos)
      << r.err;
  EXPECT_LT(took, std::chrono::seconds(10)) << "not after db's 20 s start period";
}

TEST_F(ComposeUp, WaitTimeoutEndsAWaitForAServiceThatNeverTurnsHealthy) {
  std::string yaml = kWaitStack;
  yaml.replace(yaml.find("/tmp/ready\"]"), 10, "/tmp/never");
  write(yaml);
  auto r = compose({"up", "-d", "--wait", "--wait-timeout", "2"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("timeout"), std::string::npos) << r.err;
}

TEST_F(ComposeUp, FlagsBerthCannotHonourAreRefusedBeforeAnythingIsMade) {
  write(stack());
  auto r = compose({"up", "-d", "--build", "--no-build"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("--build and --no-build are incompatible"), std::string::npos) << r.err;
  r = compose({"up", "-d", "--pull", "sometimes"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_EQ(id_of("web"), "");
  r = compose({"up", "-d", "--pull", "missing", "--no-build"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(ComposeUp, RmAsksFirstAndRemovesOnlyOnYes) {
  write(stack());
  ASSERT_EQ(compose({"create"}).exit_code, 0);
  auto r = st_.berth({"compose", "-f", (st_.dir() / "compose.yaml").string(), "-p", project_, "rm"},
                     "n\n");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("Going to remove " + project_ + "-client-1, " + project_ + "-web-1"),
            std::string::npos)
      << r.err;
  EXPECT_NE(id_of("web"), "") << "no: nothing removed";
  r = st_.berth({"compose", "-f", (st_.dir() / "compose.yaml").string(), "-p", project_, "rm"},
                "y\n");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(id_of("web"), "");
  EXPECT_EQ(id_of("client"), "");
}

TEST_F(ComposeUp, DownRmiRemovesTheServicesImages) {
  // A copy of busybox under its own tag, so the other tests' image stays.
  const std::string tag = project_ + "-img:1";
  ASSERT_EQ(st_.berth({"tag", "busybox", tag}).exit_code, 0);
  write("services:\n  one:\n    image: " + tag + "\n    command: [sleep, '600']\n");
  ASSERT_EQ(compose({"up", "-d"}).exit_code, 0);
  EXPECT_NE(compose({"down", "--rmi", "some"}).exit_code, 0);
  EXPECT_NE(id_of("one"), "") << "a bad --rmi is refused before anything is done";
  auto r = compose({"down", "-t", "0", "--rmi", "local"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(st_.berth({"image", "inspect", tag}).exit_code, 0) << "local: only untagged ones";
  ASSERT_EQ(compose({"up", "-d"}).exit_code, 0);
  r = compose({"down", "-t", "0", "--rmi", "all"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find(" Image " + tag + "  Removed"), std::string::npos) << r.err;
  EXPECT_NE(st_.berth({"image", "inspect", tag}).exit_code, 0);
  EXPECT_EQ(st_.berth({"image", "inspect", "busybox"}).exit_code, 0);
}

TEST_F(ComposeUp, VolumesFromAServiceMountsItsFirstContainersVolumes) {
  write(R"(
services:
  data:
    image: busybox
    command: ["sh", "-c", "echo kept > /shared/file; exec sleep 600"]
    stop_signal: SIGKILL
    volumes: [store:/shared]
  reader:
    image: busybox
    command: ["sleep", "600"]
    stop_signal: SIGKILL
    volumes_from: ["data:ro"]
volumes:
  store: {}
)");
  auto r = compose({"up", "-d"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_LT(r.err.find("-data-1  Started"), r.err.find("-reader-1  Starting"))
      << "volumes_from makes data a dependency: " << r.err;
  const std::string got = soon([&] {
    return trim(st_.berth({"exec", project_ + "-reader-1", "cat", "/shared/file"}).out);
  });
  EXPECT_EQ(got, "kept");
  EXPECT_NE(st_.berth({"exec", project_ + "-reader-1", "touch", "/shared/x"}).exit_code, 0)
      << "mounted read-only";
}

TEST_F(ComposeUp, DnsSearchAndDnsOptReachTheContainersResolvConf) {
  write(R"(
services:
  one:
    image: busybox
    command: ["sleep", "600"]
    stop_signal: SIGKILL
    dns_search: [corp.test, lab.test]
    dns_opt: ["timeout:1", "ndots:2"]
)");
  auto r = compose({"up", "-d"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string conf = st_.berth({"exec", project_ + "-one-1", "cat", "/etc/resolv.conf"}).out;
  EXPECT_NE(conf.find("search corp.test lab.test\n"), std::string::npos) << conf;
  EXPECT_NE(conf.find("options timeout:1 ndots:2\n"), std::string::npos) << conf;
  EXPECT_EQ(conf.find("ndots:0"), std::string::npos) << "the file's ndots wins: " << conf;
  r = st_.berth({"run", "--rm", "--dns-search", "x.test", "busybox", "cat", "/etc/resolv.conf"});
  EXPECT_NE(r.out.find("search x.test\n"), std::string::npos) << r.out << r.err;
}

TEST_F(ComposeUp, ProgressModes) {
  write(stack());
  auto quiet = [&](const std::vector<std::string>& args) {
    std::vector<std::string> a{
        "compose", "--progress", "quiet", "-f", (st_.dir() / "compose.yaml").string(),
        "-p",      project_};
    a.insert(a.end(), args.begin(), args.end());
    return st_.berth(a);
  };
  auto r = quiet({"up", "-d"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  r = st_.berth({"compose", "--progress", "tty", "-f", (st_.dir() / "compose.yaml").string(), "-p",
                 project_, "stop", "-t", "0"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("[+] Running 2/2"), std::string::npos) << r.err;
  r = st_.berth({"compose", "--progress", "fancy", "-f", (st_.dir() / "compose.yaml").string(),
                 "-p", project_, "start"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("--progress"), std::string::npos) << r.err;
}

TEST_F(ComposeUp, IpamIpRangeHandsOutTheServicesAddresses) {
  write(R"(
services:
  app:
    image: busybox
    command: ["sleep", "600"]
    stop_signal: SIGKILL
networks:
  default:
    ipam:
      config:
        - subnet: 10.127.0.0/16
          ip_range: 10.127.200.0/28
)");
  auto r = compose({"up", "-d"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = inspect(st_, project_ + "-app-1");
  EXPECT_EQ(j["NetworkSettings"]["Networks"][project_ + "_default"]["IPAddress"], "10.127.200.0");
}

}  // namespace
}  // namespace berth::test
