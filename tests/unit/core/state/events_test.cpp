// The event stream's file: Docker's message shape both ways, order kept, rotation past 4 MiB
// read across by read_events and by a follower.
#include "core/state/events.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "tests/support/harness.h"

namespace berth::core::state {
namespace {

namespace fs = std::filesystem;

class EventsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = berth::test::make_temp_dir("berth-events-");
    paths_.root = dir_ / "root";
    paths_.runroot = dir_ / "run";
    fs::create_directories(paths_.runroot);
  }
  void TearDown() override { fs::remove_all(dir_); }
  Event event(const std::string& action, int64_t t) {
    ContainerConfig c;
    c.id = std::string(64, 'a');
    c.name = "web";
    c.image = "busybox";
    c.labels["com.example"] = "x";
    Event e = container_event(c, action);
    e.time_nano = t;
    return e;
  }
  fs::path dir_;
  Paths paths_;
};

TEST_F(EventsTest, DockersMessageBothWays) {
  const auto j = event_json(event("die", 1'700'000'000'123'456'789));
  EXPECT_EQ(j["status"], "die");
  EXPECT_EQ(j["from"], "busybox");
  EXPECT_EQ(j["Type"], "container");
  EXPECT_EQ(j["Actor"]["Attributes"]["name"], "web");
  EXPECT_EQ(j["Actor"]["Attributes"]["com.example"], "x");
  EXPECT_EQ(j["time"], 1'700'000'000);
  EXPECT_EQ(j["timeNano"], 1'700'000'000'123'456'789);
  auto back = event_from_json(j);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->action, "die");
  EXPECT_EQ(back->attributes.at("image"), "busybox");
  EXPECT_FALSE(event_from_json(nlohmann::json{{"Type", "container"}}));
}

TEST_F(EventsTest, RotatedPast4MiBAndReadAcrossTheRotation) {
  EventFollower follower(paths_);
  const fs::path file = paths_.runroot / "events.jsonl";
  int64_t n = 0;
  while (!fs::exists(paths_.runroot / "events.jsonl.1"))
    ASSERT_TRUE(record_event(paths_, event("start", ++n)));
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(record_event(paths_, event("die", ++n)));
  EXPECT_LT(fs::file_size(file), 4096u);
  const auto all = read_events(paths_);
  ASSERT_EQ(static_cast<int64_t>(all.size()), n);
  for (int64_t i = 0; i < n; ++i) EXPECT_EQ(all[i].time_nano, i + 1);
  // The follower, made before the first event, sees every one once, in order, across the
  // rename.
  std::vector<Event> seen;
  while (static_cast<int64_t>(seen.size()) < n) {
    auto more = follower.next(1000);
    ASSERT_FALSE(more.empty()) << seen.size() << " of " << n;
    seen.insert(seen.end(), more.begin(), more.end());
  }
  EXPECT_EQ(static_cast<int64_t>(seen.size()), n);
  EXPECT_EQ(seen.back().action, "die");
  EXPECT_TRUE(follower.next(50).empty());
}

}  // namespace
}  // namespace berth::core::state
