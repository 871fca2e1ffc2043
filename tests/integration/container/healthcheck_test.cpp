// Docker's container healthchecks, run by the monitor as execs into the container: the
// --health-* flags and the image's HEALTHCHECK, the status moving starting → healthy /
// unhealthy, the start period, the timeout that kills a hanging check, --no-healthcheck,
// `inspect` (Config.Healthcheck, State.Health), `ps` (STATUS, --filter health=) and the
// container's restrictions applying to the check.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "tests/integration/container/container_helpers.h"

namespace berth::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class HealthcheckTest : public ::testing::Test {
 protected:
  void SetUp() override {
    BERTH_NEED_ROOT();
    st_.import_busybox();
  }
  // `run -d --name NAME ARGS... busybox sleep 1000` (or ARGS ending in an image of their own).
  void run(const std::string& name, std::vector<std::string> args,
           const std::string& image = "busybox") {
    std::vector<std::string> argv = {"run", "-d", "--name", name};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.insert(argv.end(), {image, "sleep", "1000"});
    auto r = st_.berth(argv);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  json health(const std::string& name) {
    const json state = inspect(st_, name).value("State", json::object());
    return state.is_object() ? state.value("Health", json()) : json();
  }
  // Polls inspect until State.Health.Status is status (true) or timeout_s passes (false).
  bool wait_health(const std::string& name, const std::string& status, int timeout_s = 10) {
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
    while (std::chrono::steady_clock::now() < end) {
      const json h = health(name);
      if (h.is_object() && h.value("Status", "") == status) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }
  std::string ps_status(const std::string& name) {
    return trim(st_.berth({"ps", "--filter", "name=" + name, "--format", "{{.Status}}"}).out);
  }
  std::string ps_names(const std::string& filter) {
    return trim(st_.berth({"ps", "--filter", filter, "--format", "{{.Names}}"}).out);
  }
  // An image "NAME" like busybox whose config has healthcheck (Docker's JSON), made by
  // editing the config of a saved busybox and loading it back (a legacy docker-archive).
  void make_image(const std::string& name, const json& healthcheck) {
    const fs::path saved = st_.dir() / "bb.tar", x = st_.dir() / ("img-" + name);
    ASSERT_EQ(st_.berth({"save", "-o", saved.string(), "busybox"}).exit_code, 0);
    fs::create_directories(x);
    ASSERT_EQ(run_command({"/bin/sh", "-c", "cd " + x.string() + " && tar xf " + saved.string()})
                  .exit_code,
              0);
    json manifest = json::parse(read_file_text(x / "manifest.json"));
    json config = json::parse(read_file_text(x / manifest[0]["Config"].get<std::string>()));
    config["config"]["Healthcheck"] = healthcheck;
    std::ofstream(x / "new.json") << config.dump();
    const std::string hex =
        trim(run_command(
                 {"/bin/sh", "-c", "sha256sum " + (x / "new.json").string() + " | cut -d' ' -f1"})
                 .out);
    fs::rename(x / "new.json", x / (hex + ".json"));
    json m = {{{"Config", hex + ".json"},
               {"RepoTags", {name + ":latest"}},
               {"Layers", manifest[0]["Layers"]}}};
    std::ofstream(x / "manifest.json") << m.dump();
    ASSERT_EQ(run_command({"/bin/sh", "-c",
                           "cd " + x.string() + " && tar cf ../" + name + ".tar manifest.json " +
                               hex + ".json blobs"})
                  .exit_code,
              0);
    auto r = st_.berth({"load", "-i", (st_.dir() / (name + ".tar")).string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  TempState st_;
};

TEST_F(HealthcheckTest, HealthyOnceTheFileExists) {
  run("hc-ok",
      {"--health-cmd", "test -f /tmp/ok", "--health-interval", "200ms", "--health-retries", "100"});
  const json cfg = inspect(st_, "hc-ok")["Config"]["Healthcheck"];
  EXPECT_EQ(cfg,
            json::parse(
                R"({"Test":["CMD-SHELL","test -f /tmp/ok"],"Interval":200000000,"Retries":100})"));
  // Failures before the first success leave it starting.
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  json h = health("hc-ok");
  ASSERT_TRUE(h.is_object()) << inspect(st_, "hc-ok").dump();
  EXPECT_EQ(h["Status"], "starting");
  EXPECT_GE(h["FailingStreak"].get<int>(), 1);
  ASSERT_FALSE(h["Log"].empty());
  EXPECT_EQ(h["Log"].back()["ExitCode"], 1);
  EXPECT_NE(ps_status("hc-ok").find("(health: starting)"), std::string::npos) << ps_status("hc-ok");
  EXPECT_EQ(ps_names("health=starting"), "hc-ok");
  ASSERT_EQ(st_.berth({"exec", "hc-ok", "touch", "/tmp/ok"}).exit_code, 0);
  ASSERT_TRUE(wait_health("hc-ok", "healthy")) << health("hc-ok").dump();
  h = health("hc-ok");
  EXPECT_EQ(h["FailingStreak"], 0);
  EXPECT_LE(h["Log"].size(), 5u);
  EXPECT_EQ(h["Log"].back()["ExitCode"], 0);
  EXPECT_FALSE(h["Log"].back()["Start"].get<std::string>().empty());
  EXPECT_FALSE(h["Log"].back()["End"].get<std::string>().empty());
  const std::string status = ps_status("hc-ok");
  EXPECT_TRUE(status.starts_with("Up ") && status.ends_with(" (healthy)")) << status;
  EXPECT_EQ(ps_names("health=healthy"), "hc-ok");
  EXPECT_EQ(ps_names("health=starting"), "");
  EXPECT_EQ(ps_names("health=none"), "");
}

TEST_F(HealthcheckTest, UnhealthyAfterRetriesFailures) {
  run("hc-fail", {"--health-cmd", "echo failing; exit 3", "--health-interval", "200ms",
                  "--health-retries", "2"});
  ASSERT_TRUE(wait_health("hc-fail", "unhealthy")) << health("hc-fail").dump();
  const json h = health("hc-fail");
  EXPECT_GE(h["FailingStreak"].get<int>(), 2);
  EXPECT_EQ(h["Log"].back()["ExitCode"], 3);
  EXPECT_EQ(h["Log"].back()["Output"], "failing\n");
  EXPECT_TRUE(ps_status("hc-fail").ends_with(" (unhealthy)")) << ps_status("hc-fail");
  EXPECT_EQ(ps_names("health=unhealthy"), "hc-fail");
  auto r = st_.berth({"ps", "--filter", "health=bogus"});
  EXPECT_EQ(r.exit_code, 125);
  EXPECT_NE(r.err.find("Unrecognised filter value for health: bogus"), std::string::npos) << r.err;
}

TEST_F(HealthcheckTest, CreateRefusesWhatDockersDaemonRefuses) {
  auto r = st_.berth(
      {"create", "--health-cmd", "true", "--health-interval", "500us", "busybox", "true"});
  EXPECT_EQ(r.exit_code, 125);
  EXPECT_EQ(r.err, "Error: Interval in Healthcheck cannot be less than 1ms\n");
  EXPECT_EQ(trim(st_.berth({"ps", "-aq"}).out), "");
}

TEST_F(HealthcheckTest, FailuresInTheStartPeriodDoNotCount) {
  // Checks every 100 ms (start interval) during a 2 s start period, every 10 s after it.
  run("hc-period", {"--health-cmd", "false", "--health-interval", "10s", "--health-start-period",
                    "2s", "--health-start-interval", "100ms", "--health-retries", "1"});
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));
  json h = health("hc-period");
  ASSERT_TRUE(h.is_object());
  EXPECT_EQ(h["Status"], "starting");
  EXPECT_EQ(h["FailingStreak"], 0);
  EXPECT_GE(h["Log"].size(), 3u);  // the start interval, not the 10 s interval
  // The first check after the period counts (retries 1). The last one inside it is at most
  // 100 ms before its end; the next comes one start interval later or one interval later.
  ASSERT_TRUE(wait_health("hc-period", "unhealthy", 15)) << health("hc-period").dump();
}

TEST_F(HealthcheckTest, TimeoutKillsTheHangingCheck) {
  run("hc-timeout", {"--health-cmd", "sleep 1; touch /tmp/late", "--health-timeout", "300ms",
                     "--health-interval", "200ms", "--health-retries", "1"});
  ASSERT_TRUE(wait_health("hc-timeout", "unhealthy")) << health("hc-timeout").dump();
  const json h = health("hc-timeout");
  EXPECT_EQ(h["Log"].back()["ExitCode"], -1);
  EXPECT_EQ(h["Log"].back()["Output"], "Health check exceeded timeout (300ms)");
  // A check that lived on would have made the file 1 s after it began.
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  EXPECT_EQ(st_.berth({"exec", "hc-timeout", "test", "-e", "/tmp/late"}).exit_code, 1);
}

TEST_F(HealthcheckTest, ImageHealthcheckAndNoHealthcheck) {
  make_image(
      "hc",
      json::parse(R"({"Test":["CMD-SHELL","echo image-check"],"Interval":100000000,"Retries":2})"));
  if (HasFatalFailure()) return;
  run("hc-image", {}, "hc");
  EXPECT_EQ(
      inspect(st_, "hc-image")["Config"]["Healthcheck"],
      json::parse(R"({"Test":["CMD-SHELL","echo image-check"],"Interval":100000000,"Retries":2})"));
  ASSERT_TRUE(wait_health("hc-image", "healthy")) << health("hc-image").dump();
  EXPECT_EQ(health("hc-image")["Log"].back()["Output"], "image-check\n");
  // The request's fields over the image's.
  auto r = st_.berth({"create", "--name", "merged", "--health-retries", "7", "hc", "true"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(
      inspect(st_, "merged")["Config"]["Healthcheck"],
      json::parse(R"({"Test":["CMD-SHELL","echo image-check"],"Interval":100000000,"Retries":7})"));
  // --no-healthcheck: ["NONE"], no health at all.
  run("hc-off", {"--no-healthcheck"}, "hc");
  const json j = inspect(st_, "hc-off");
  // Docker's merge keeps the image's other fields beside ["NONE"] (daemon/commit.go).
  EXPECT_EQ(j["Config"]["Healthcheck"],
            json::parse(R"({"Test":["NONE"],"Interval":100000000,"Retries":2})"));
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  EXPECT_FALSE(inspect(st_, "hc-off")["State"].contains("Health"));
  EXPECT_EQ(ps_status("hc-off").find('('), std::string::npos) << ps_status("hc-off");
  EXPECT_EQ(ps_names("health=none"), "hc-off");
  r = st_.berth({"run", "--rm", "--no-healthcheck", "--health-retries", "2", "hc", "true"});
  EXPECT_EQ(r.exit_code, 125);
  EXPECT_NE(r.err.find("--no-healthcheck conflicts with --health-* options"), std::string::npos)
      << r.err;
}

TEST_F(HealthcheckTest, CheckRunsWithTheContainersRestrictions) {
  run("hc-user",
      {"-u", "1000:1000", "--cap-drop", "ALL", "--health-cmd",
       "id -u; grep CapBnd /proc/self/status; cat /proc/1/comm", "--health-interval", "200ms"});
  ASSERT_TRUE(wait_health("hc-user", "healthy")) << health("hc-user").dump();
  const std::string out = health("hc-user")["Log"].back()["Output"];
  // Its user, its (empty) capability bounding set, its pid namespace (pid 1 is its sleep).
  EXPECT_NE(out.find("1000\n"), std::string::npos) << out;
  EXPECT_NE(out.find("CapBnd:\t0000000000000000"), std::string::npos) << out;
  EXPECT_NE(out.find("sleep\n"), std::string::npos) << out;
}

// A check due while the container is frozen fails (as Docker's exec into a paused container)
// and does not hang the monitor; the record stays paused through the results.
TEST_F(HealthcheckTest, PausedContainerFailsItsChecks) {
  run("hc-paused", {"--health-cmd", "true", "--health-interval", "200ms", "--health-retries", "1"});
  ASSERT_TRUE(wait_health("hc-paused", "healthy")) << health("hc-paused").dump();
  ASSERT_EQ(st_.berth({"pause", "hc-paused"}).exit_code, 0);
  ASSERT_TRUE(wait_health("hc-paused", "unhealthy")) << health("hc-paused").dump();
  const json j = inspect(st_, "hc-paused");
  EXPECT_EQ(j["State"]["Status"], "paused");
  EXPECT_NE(j["State"]["Health"]["Log"].back()["Output"].get<std::string>().find("is paused"),
            std::string::npos);
  ASSERT_EQ(st_.berth({"unpause", "hc-paused"}).exit_code, 0);
  ASSERT_TRUE(wait_health("hc-paused", "healthy")) << health("hc-paused").dump();
}

TEST_F(HealthcheckTest, StopEndsChecksAndStartResetsToStarting) {
  run("hc-restart",
      {"--health-cmd", "test -f /tmp/ok", "--health-interval", "200ms", "--health-retries", "100"});
  ASSERT_EQ(st_.berth({"exec", "hc-restart", "touch", "/tmp/ok"}).exit_code, 0);
  ASSERT_TRUE(wait_health("hc-restart", "healthy")) << health("hc-restart").dump();
  ASSERT_EQ(st_.berth({"exec", "hc-restart", "rm", "/tmp/ok"}).exit_code, 0);
  ASSERT_EQ(st_.berth({"stop", "-t", "0", "hc-restart"}).exit_code, 0);
  const json stopped = health("hc-restart");
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  EXPECT_EQ(health("hc-restart"), stopped);  // no check ran meanwhile
  ASSERT_EQ(st_.berth({"start", "hc-restart"}).exit_code, 0);
  const json h = health("hc-restart");
  EXPECT_EQ(h["Status"], "starting");  // and stays so: the file is gone, 100 retries
  EXPECT_EQ(h["FailingStreak"], 0);
  EXPECT_FALSE(h["Log"].empty());  // the log is kept
}

}  // namespace
}  // namespace berth::test
