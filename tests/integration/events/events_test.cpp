// The event stream end to end: `berth events` shows what the container verbs and the monitor
// did, in order (create, start, die with the exit code, destroy; kill with the signal, stop;
// health_status), follows new events until --until, filters them; `compose events --json`
// shows the project's with Compose's fields and without its labels.
#include <gtest/gtest.h>

#include <thread>

#include "tests/integration/compose/compose_fixture.h"

namespace berth::test {
namespace {

// A Unix time `seconds` from now, for --until (a duration there means that long ago, as
// Docker's).
std::string in_seconds(int seconds) {
  return std::to_string(::time(nullptr) + seconds);
}

// Non-empty lines of text.
std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    if (nl > start) out.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return out;
}

class EventsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    BERTH_NEED_ROOT();
    st_.import_busybox();
  }
  TempState st_;
};

TEST_F(EventsTest, PastEventsOfARunInOrderWithDockersFields) {
  const std::string name = unique_name("ev");
  ASSERT_EQ(st_.berth({"run", "--rm", "--name", name, "busybox", "sh", "-c", "exit 3"}).exit_code,
            3);
  auto r = st_.berth({"events", "--since", "1m", "--until", "0s", "--filter", "container=" + name,
                      "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> actions;
  for (const auto& l : lines_of(r.out)) {
    auto j = nlohmann::json::parse(l);
    EXPECT_EQ(j["Type"], "container");
    EXPECT_EQ(j["Actor"]["Attributes"]["name"], name);
    EXPECT_EQ(j["Actor"]["Attributes"]["image"], "busybox");
    EXPECT_EQ(j["status"], j["Action"]);
    EXPECT_EQ(j["scope"], "local");
    if (j["Action"] == "die") {
      EXPECT_EQ(j["Actor"]["Attributes"]["exitCode"], "3");
    }
    actions.push_back(j["Action"]);
  }
  EXPECT_EQ(actions, (std::vector<std::string>{"create", "start", "die", "destroy"})) << r.out;
  // Docker's text line.
  auto text = st_.berth(
      {"events", "--since", "1m", "--until", "0s", "-f", "container=" + name, "-f", "event=die"});
  ASSERT_EQ(lines_of(text.out).size(), 1u) << text.out;
  EXPECT_NE(text.out.find(" container die "), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("(exitCode=3, image=busybox, name=" + name + ")"), std::string::npos)
      << text.out;
  EXPECT_NE(st_.berth({"events", "--filter", "colour=red", "--until", "0s"}).exit_code, 0);
  // rename, as Docker's: the new name, and the old one as oldName.
  const std::string renamed = unique_name("evr");
  ASSERT_EQ(st_.berth({"create", "--name", name, "busybox", "true"}).exit_code, 0);
  ASSERT_EQ(st_.berth({"rename", name, renamed}).exit_code, 0);
  auto rn = st_.berth({"events", "--since", "1m", "--until", "0s", "-f", "event=rename", "--format",
                       "{{.Actor.Attributes.name}} {{.Actor.Attributes.oldName}}"});
  EXPECT_EQ(rn.out, renamed + " /" + name + "\n");
  EXPECT_EQ(st_.berth({"rm", renamed}).exit_code, 0);
}

TEST_F(EventsTest, FollowsNewEventsUntilTheDeadline) {
  const std::string name = unique_name("evf");
  RunResult follow;
  std::thread t([&] {
    follow = st_.berth({"events", "--until", in_seconds(6), "-f", "container=" + name, "--format",
                        "{{.Action}} {{.Actor.Attributes.signal}}"});
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  ASSERT_EQ(st_.berth({"run", "-d", "--name", name, "busybox", "sleep", "60"}).exit_code, 0);
  EXPECT_EQ(st_.berth({"stop", "-t", "0", name}).exit_code, 0);
  EXPECT_EQ(st_.berth({"rm", name}).exit_code, 0);
  t.join();
  EXPECT_EQ(follow.exit_code, 0) << follow.err;
  EXPECT_EQ(lines_of(follow.out),
            (std::vector<std::string>{"create <no value>", "start <no value>", "kill 15", "kill 9",
                                      "die <no value>", "stop <no value>",
                                      "destroy <no value>"}))  // Go's text for a missing key
      << follow.out;
}

TEST_F(EventsTest, HealthStatusChangesAreEvents) {
  const std::string name = unique_name("evh");
  ASSERT_EQ(st_.berth({"run", "-d", "--name", name, "--health-cmd", "true", "--health-interval",
                       "100ms", "busybox", "sleep", "60"})
                .exit_code,
            0);
  std::string out;
  for (int i = 0; i < 50 && out.find("health_status: healthy") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    out = st_.berth({"events", "--since", "1m", "--until", "0s", "-f", "container=" + name, "-f",
                     "event=health_status", "--format", "{{.Action}}"})
              .out;
  }
  EXPECT_EQ(out, "health_status: healthy\n");  // once: at the change, not at every check
  EXPECT_EQ(st_.berth({"rm", "-f", name}).exit_code, 0);
}

TEST_F(ComposeUp, EventsShowsTheProjectsContainersWithComposesFields) {
  write(R"(
services:
  web:
    image: busybox
    command: ["sleep", "600"]
    stop_signal: SIGKILL
)");
  RunResult follow;
  std::thread t([&] { follow = compose({"events", "--json", "--until", in_seconds(8)}); });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  ASSERT_EQ(compose({"up", "-d"}).exit_code, 0);
  // Another project's container is not this project's event.
  ASSERT_EQ(st_.berth({"run", "--rm", "busybox", "true"}).exit_code, 0);
  ASSERT_EQ(compose({"down", "-t", "0"}).exit_code, 0);
  t.join();
  ASSERT_EQ(follow.exit_code, 0) << follow.err;
  std::vector<std::string> actions;
  for (const auto& l : lines_of(follow.out)) {
    auto j = nlohmann::json::parse(l);
    EXPECT_EQ(j["service"], "web") << l;
    EXPECT_EQ(j["type"], "container");
    EXPECT_EQ(j["attributes"]["name"], project_ + "-web-1");
    for (const auto& [k, v] : j["attributes"].items())
      EXPECT_FALSE(k.starts_with("com.docker.compose.")) << k;
    actions.push_back(j["action"]);
  }
  EXPECT_EQ(actions,
            (std::vector<std::string>{"create", "start", "kill", "die", "stop", "destroy"}))
      << follow.out;
  auto text = compose({"events", "--since", "1m", "--until", "0s"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find(" container start "), std::string::npos) << text.out;
}

}  // namespace
}  // namespace berth::test
