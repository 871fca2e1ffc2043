// `berth compose up -d` and `down` end to end with real containers: a web + client stack on a
// user network (the client reaches the web by service name, the published port answers on
// the host), a second `up` that changes nothing, a changed service recreated alone,
// service_completed_successfully, a missing image, two `up`s at once, and `down -v` leaving
// no container, network, volume, veth or nftables rule.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <future>
#include <thread>

#include "tests/integration/compose/compose_fixture.h"

namespace berth::test {
namespace {

namespace fs = std::filesystem;

TEST_F(ComposeUp, WebAndClientOnAUserNetworkByServiceName) {
  write(stack());
  auto r = compose({"up", "-d"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find(" Network " + project_ + "_front  Created"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(" Container " + project_ + "-web-1  Started"), std::string::npos) << r.err;
  EXPECT_LT(r.err.find("-web-1  Started"), r.err.find("-client-1  Starting"))
      << "client depends on web: " << r.err;
  EXPECT_EQ(fetch_from_client("web"), "served-by-web\n");
  EXPECT_EQ(fetch_from_client(project_ + "-web-1"), "served-by-web\n") << "the container name";
  EXPECT_EQ(fetch_from_host(), "served-by-web\n");
  auto labels = inspect(st_, project_ + "-web-1")["Config"]["Labels"];
  EXPECT_EQ(labels["com.docker.compose.project"], project_);
  EXPECT_EQ(labels["com.docker.compose.service"], "web");
  EXPECT_EQ(labels["com.docker.compose.container-number"], "1");
  EXPECT_EQ(labels["com.docker.compose.oneoff"], "False");
  EXPECT_EQ(
      inspect(st_, project_ + "-client-1")["Config"]["Labels"]["com.docker.compose.depends_on"],
      "web:service_started:false");
}

TEST_F(ComposeUp, ASecondUpChangesNothingAndAChangedServiceIsRecreatedAlone) {
  write(stack());
  ASSERT_EQ(compose({"up", "-d"}).exit_code, 0);
  const std::string web = id_of("web"), client = id_of("client");
  ASSERT_NE(web, "");
  auto r = compose({"up", "-d"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(id_of("web"), web);
  EXPECT_EQ(id_of("client"), client);
  EXPECT_NE(r.err.find(" Container " + project_ + "-client-1  Running"), std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("Creat"), std::string::npos) << r.err;

  write(stack("    environment: {GREETING: changed}\n"));
  r = compose({"up", "-d", "--dry-run"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Container " + project_ + "-client-1  Recreate (changed: environment)"),
            std::string::npos)
      << "the dry run names the field that changed: " << r.out;
  EXPECT_NE(r.out.find("Container " + project_ + "-web-1  Running (up to date)"), std::string::npos)
      << r.out;
  EXPECT_EQ(id_of("client"), client) << "a dry run changes nothing";
  r = compose({"up", "-d"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(id_of("web"), web) << "web did not change";
  const std::string new_client = id_of("client");
  EXPECT_NE(new_client, client);
  EXPECT_NE(new_client, "");
  EXPECT_EQ(trim(st_.berth({"exec", project_ + "-client-1", "sh", "-c", "echo $GREETING"}).out),
            "changed");
  EXPECT_EQ(fetch_from_client("web"), "served-by-web\n") << "the new client is on the network";

  write(stack("    environment: {GREETING: again}\n    working_dir: /tmp\n"));
  r = compose({"up", "-d", "--dry-run"});
  EXPECT_NE(r.out.find("-client-1  Recreate (changed: environment.GREETING, working_dir)"),
            std::string::npos)
      << r.out;
}

TEST_F(ComposeUp, DownLeavesNoContainerNetworkVolumeVethOrRule) {
  write(stack());
  ASSERT_EQ(compose({"up", "-d"}).exit_code, 0);
  const std::string web = id_of("web"), client = id_of("client");
  auto net = st_.berth({"network", "inspect", "--format", "{{.Id}}", project_ + "_front"});
  ASSERT_EQ(net.exit_code, 0) << net.err;
  const std::string bridge = "br-" + trim(net.out).substr(0, 12);
  ASSERT_TRUE(fs::exists("/sys/class/net/" + bridge));
  ASSERT_TRUE(fs::exists("/sys/class/net/vb" + web.substr(0, 7) + trim(net.out).substr(0, 6)));
  EXPECT_EQ(fetch_from_host(), "served-by-web\n");

  auto r = compose({"down", "-v", "-t", "1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find(" Network " + project_ + "_front  Removed"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(" Volume " + project_ + "_data  Removed"), std::string::npos) << r.err;
  EXPECT_EQ(trim(st_.berth({"ps", "-aq"}).out), "");
  EXPECT_NE(st_.berth({"network", "inspect", project_ + "_front"}).exit_code, 0);
  EXPECT_NE(st_.berth({"volume", "inspect", project_ + "_data"}).exit_code, 0);
  EXPECT_FALSE(fs::exists("/sys/class/net/" + bridge));
  for (int i = 0; i < 300; ++i) {
    bool left = false;
    for (const auto& e : fs::directory_iterator("/sys/class/net"))
      for (const auto& id : {web, client})
        if (e.path().filename().string().starts_with("vb" + id.substr(0, 7))) left = true;
    if (!left) break;
    ASSERT_LT(i, 299) << "a veth of the project is left";
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  auto rules = run_command({"/usr/sbin/nft", "list", "table", "ip", "berth"}).out;
  EXPECT_EQ(rules.find("berth ctr " + web), std::string::npos) << rules;
  EXPECT_EQ(rules.find("berth net " + bridge), std::string::npos) << rules;
  EXPECT_TRUE(run_command({"/usr/bin/curl", "-s", "-m", "1",
                           "http://127.0.0.1:" + std::to_string(kPort) + "/"})
                  .out.empty());
}

TEST_F(ComposeUp, ServiceCompletedSuccessfullyWaitsForExitZero) {
  const std::string yaml = R"(
services:
  migrate:
    image: busybox
    command: ["sh", "-c", "sleep 0.3; echo migrated > /data/done; exit CODE"]
    volumes: [data:/data]
  app:
    image: busybox
    command: ["sh", "-c", "cat /data/done; exec sleep 600"]
    stop_signal: SIGKILL
    volumes: [data:/data]
    depends_on:
      migrate:
        condition: service_completed_successfully
volumes:
  data: {}
)";
  std::string ok = yaml;
  ok.replace(ok.find("CODE"), 4, "0");
  write(ok);
  auto r = compose({"up", "-d"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(trim(st_.berth({"exec", project_ + "-app-1", "cat", "/data/done"}).out), "migrated");
  EXPECT_EQ(logs_soon("app"), "migrated") << "app started only after migrate had written it";
  ASSERT_EQ(compose({"down", "-t", "0"}).exit_code, 0);

  std::string failing = yaml;
  failing.replace(failing.find("CODE"), 4, "3");
  write(failing);
  r = compose({"up", "-d"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("service \"migrate\" didn't complete successfully: exit 3"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(id_of("app"), "") << "app was not created";
}

TEST_F(ComposeUp, ServiceHealthyWaitsForTheHealthcheckAndAnUnhealthyOneStopsUp) {
  const std::string yaml = R"(
services:
  db:
    image: busybox
    command: ["sh", "-c", "sleep 1; touch /tmp/ready; exec sleep 600"]
    stop_signal: SIGKILL
    healthcheck:
      test: ["CMD", "test", "-f", "/tmp/READY"]
      interval: 200ms
      retries: 2
  app:
    image: busybox
    command: ["sleep", "600"]
    stop_signal: SIGKILL
    depends_on:
      db:
        condition: service_healthy
)";
  // Failures inside the start period do not count (the file comes after a second).
  std::string ok = yaml;
  ok.replace(ok.find("READY"), 5, "ready");
  ok.replace(ok.find("retries: 2"), 10,
             "retries: 2\n      start_period: 10s\n      start_interval: 200ms");
  write(ok);
  auto r = compose({"up", "-d"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto db = inspect(st_, project_ + "-db-1");
  EXPECT_EQ(db["State"]["Health"]["Status"], "healthy");
  // app started after db's first healthy result.
  std::string healthy_at;
  for (const auto& e : db["State"]["Health"]["Log"])
    if (e["ExitCode"] == 0 && healthy_at.empty()) healthy_at = e["End"];
  ASSERT_FALSE(healthy_at.empty());
  EXPECT_GT(inspect(st_, project_ + "-app-1")["State"]["StartedAt"].get<std::string>(), healthy_at);
  ASSERT_EQ(compose({"down", "-t", "0"}).exit_code, 0);

  write(yaml);  // the check looks for a file that never comes: unhealthy after two failures
  r = compose({"up", "-d"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("dependency failed to start: container " + project_ + "-db-1 is unhealthy"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(id_of("app"), "") << "app was not created";
}

TEST_F(ComposeUp, AMissingImageIsOneClearErrorAndNothingIsCreated) {
  // pull_policy never: the test sends nothing to a registry.
  write("services:\n  web:\n    image: no-such-image:1.0\n    pull_policy: never\n");
  auto r = compose({"up", "-d"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("No such image: no-such-image:1.0"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_NE(st_.berth({"network", "inspect", project_ + "_default"}).exit_code, 0);
}

TEST_F(ComposeUp, WhatBerthCannotHonourIsRefusedBeforeAnythingIsMade) {
  write("services:\n  web:\n    image: busybox\n    runtime: runsc\n");
  auto r = compose({"up", "-d"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("berth does not support \"runtime\""), std::string::npos) << r.err;
  EXPECT_NE(st_.berth({"network", "inspect", project_ + "_default"}).exit_code, 0);
}

TEST_F(ComposeUp, ScaleAnswersTheServiceNameWithEveryAddressAndKeepsTheLowestNumbers) {
  write(R"(
services:
  api:
    image: busybox
    command: ["sleep", "600"]
    stop_signal: SIGKILL
  probe:
    image: busybox
    command: ["sleep", "600"]
    stop_signal: SIGKILL
)");
  auto r = compose({"up", "-d", "--scale", "api=3"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* n : {"1", "2", "3"})
    EXPECT_EQ(st_.berth({"inspect", project_ + "-api-" + n}).exit_code, 0) << n;
  auto lookup = st_.berth({"exec", project_ + "-probe-1", "nslookup", "api"});
  EXPECT_EQ(lookup.exit_code, 0) << lookup.out;
  size_t addresses = 0;
  for (size_t at = 0; (at = lookup.out.find("Address: ", at)) != std::string::npos; ++at)
    ++addresses;
  EXPECT_EQ(addresses, 3u) << lookup.out;
  const std::string first = id_of("api");
  r = compose({"up", "-d", "--scale", "api=1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(id_of("api"), first);
  EXPECT_NE(st_.berth({"inspect", project_ + "-api-2"}).exit_code, 0);
  EXPECT_NE(st_.berth({"inspect", project_ + "-api-3"}).exit_code, 0);
  EXPECT_NE(compose({"up", "-d", "--scale", "nope=2"}).err.find("no such service: nope"),
            std::string::npos);
}

TEST_F(ComposeUp, ANamedVolumeKeepsItsDataAcrossDownAndUp) {
  const std::string yaml = R"(
services:
  db:
    image: busybox
    command: ["sh", "-c", "cat /data/kept 2>/dev/null; echo kept > /data/kept; exec sleep 600"]
    stop_signal: SIGKILL
    volumes: [data:/data]
volumes:
  data: {}
)";
  write(yaml);
  ASSERT_EQ(compose({"up", "-d"}).exit_code, 0);
  ASSERT_EQ(compose({"down"}).exit_code, 0);
  EXPECT_EQ(st_.berth({"volume", "inspect", project_ + "_data"}).exit_code, 0)
      << "down without -v keeps volumes";
  ASSERT_EQ(compose({"up", "-d"}).exit_code, 0);
  EXPECT_EQ(logs_soon("db"), "kept") << "the second db read what the first wrote";
}

TEST_F(ComposeUp, TwoUpsAtOnceMakeOneContainerPerService) {
  write(stack());
  auto a = std::async(std::launch::async, [&] { return compose({"up", "-d"}); });
  auto b = compose({"up", "-d"});
  auto ra = a.get();
  EXPECT_EQ(ra.exit_code, 0) << ra.err;
  EXPECT_EQ(b.exit_code, 0) << b.err;
  EXPECT_EQ(count_lines(st_.berth({"ps", "-aq"}).out), 2);
}

TEST_F(ComposeUp, PsStopStartRm) {
  write(stack());
  ASSERT_EQ(compose({"up", "-d"}).exit_code, 0);
  auto r = compose({"ps"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.substr(0, r.out.find('\n')).find("NAME"), 0u) << r.out;
  EXPECT_NE(r.out.find(project_ + "-web-1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("127.0.0.1:" + std::to_string(kPort) + "->80/tcp"), std::string::npos);
  EXPECT_EQ(compose({"ps", "--services"}).out, "client\nweb\n");
  EXPECT_EQ(count_lines(compose({"ps", "-q"}).out), 2);

  r = compose({"stop", "-t", "1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_LT(r.err.find("-client-1  Stopped"), r.err.find("-web-1  Stopping"))
      << "the client depends on web, so it stops first: " << r.err;
  EXPECT_EQ(compose({"ps", "-q"}).out, "");
  EXPECT_EQ(count_lines(compose({"ps", "-a", "-q"}).out), 2);
  EXPECT_EQ(count_lines(compose({"ps", "--status", "exited", "-q"}).out), 2);
  EXPECT_EQ(count_lines(compose({"ps", "--filter", "status=running", "-q"}).out), 0);
  EXPECT_NE(compose({"ps", "--status", "sleeping"}).exit_code, 0);
  r = compose({"ps", "-a", "--format", "json", "web"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto row = nlohmann::json::parse(r.out);
  EXPECT_EQ(row["Service"], "web");
  EXPECT_EQ(row["Name"], project_ + "-web-1");
  EXPECT_EQ(row["State"], "exited");

  const std::string web = id_of("web");
  r = compose({"start"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(id_of("web"), web) << "start keeps the container";
  EXPECT_EQ(fetch_from_client("web"), "served-by-web\n");

  r = compose({"rm", "-f"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(count_lines(compose({"ps", "-q"}).out), 2) << "rm leaves running containers";
  r = compose({"rm", "-f", "-s", "client"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(id_of("client"), "");
  EXPECT_EQ(id_of("web"), web);
}

TEST_F(ComposeUp, SeveralNetworksWithAliasesAFixedAddressAndAServicesNamespace) {
  write(R"(
services:
  api:
    image: busybox
    command: ["sleep", "600"]
    stop_signal: SIGKILL
    networks:
      front:
        aliases: [api-front]
        ipv4_address: 10.231.157.10
      back:
        aliases: [api-back]
  probe:
    image: busybox
    command: ["sleep", "600"]
    stop_signal: SIGKILL
    networks: [back]
  side:
    image: busybox
    command: ["sleep", "600"]
    stop_signal: SIGKILL
    network_mode: service:api
    depends_on: [api]
networks:
  front:
    ipam:
      config:
        - subnet: 10.231.157.0/24
  back: {}
)");
  auto r = compose({"up", "-d"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto nets = inspect(st_, project_ + "-api-1")["NetworkSettings"]["Networks"];
  ASSERT_TRUE(nets.contains(project_ + "_front")) << nets.dump();
  ASSERT_TRUE(nets.contains(project_ + "_back")) << nets.dump();
  EXPECT_EQ(nets[project_ + "_front"]["IPAddress"], "10.231.157.10");
  const auto aliases = nets[project_ + "_front"]["Aliases"].dump();
  for (const std::string& a :
       std::vector<std::string>{"\"api\"", "\"" + project_ + "-api-1\"", "\"api-front\""})
    EXPECT_NE(aliases.find(a), std::string::npos) << a << " in " << aliases;
  const std::string probe = project_ + "-probe-1";
  EXPECT_EQ(st_.berth({"exec", probe, "nslookup", "api-back"}).exit_code, 0);
  EXPECT_EQ(st_.berth({"exec", probe, "nslookup", "api"}).exit_code, 0);
  EXPECT_NE(st_.berth({"exec", probe, "nslookup", "api-front"}).exit_code, 0)
      << "api-front is an alias on front only";
  auto addr = st_.berth({"exec", project_ + "-side-1", "ip", "-4", "-o", "addr"});
  EXPECT_NE(addr.out.find("10.231.157.10"), std::string::npos)
      << "side shares api's network namespace: " << addr.out;
}

TEST_F(ComposeUp, ARecreateWhoseCreateFailsLeavesTheOldContainerRunning) {
  write(stack());
  ASSERT_EQ(compose({"up", "-d"}).exit_code, 0);
  const std::string client = id_of("client");
  write(
      stack("    volumes:\n      - type: bind\n        source: /nonexistent-berth-source\n"
            "        target: /x\n"));
  auto r = compose({"up", "-d"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("bind source path does not exist: /nonexistent-berth-source"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(id_of("client"), client) << "the old client is kept";
  EXPECT_EQ(inspect(st_, client)["State"]["Running"], true);
  EXPECT_EQ(count_lines(st_.berth({"ps", "-aq"}).out), 2) << "no half-made container is left";
  write(stack());
  r = compose({"up", "-d"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(id_of("client"), client) << "back to the old config: nothing to do";
}

TEST_F(ComposeUp, IndependentServicesComeDownInOneGracePeriod) {
  // sleep as the container's pid 1 ignores SIGTERM: each stop waits out the whole -t 2.
  std::string yaml = "services:\n";
  for (const char* name : {"a", "b", "c"})
    yaml += std::string("  ") + name + ":\n    image: busybox\n    command: [sleep, '600']\n";
  write(yaml);
  ASSERT_EQ(compose({"up", "-d"}).exit_code, 0);
  const auto start = std::chrono::steady_clock::now();
  auto r = compose({"down", "-t", "2"});
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_LT(took, std::chrono::milliseconds(4500)) << "one after the other would take 6 s";
  EXPECT_EQ(trim(st_.berth({"ps", "-aq"}).out), "");
}

}  // namespace
}  // namespace berth::test
