#include "engine/lifecycle/container_list.h"

#include <gtest/gtest.h>

#include "common/error.h"
#include "tests/support/sample_records.h"

namespace berth::engine::lifecycle {
namespace {

using core::state::Container;
using core::state::Status;

Container make(Status s) {
  return test::sample_container(s);
}

TEST(PsFilter, Restarting) {
  auto c = make(Status::kExited);
  c.state.restarting = true;
  EXPECT_STREQ(core::state::docker_status(c.state), "restarting");
  EXPECT_TRUE(ContainerFilter({"status=restarting"}).matches(c));
  EXPECT_FALSE(ContainerFilter({"status=exited"}).matches(c));
  c.state.restarting = false;
  EXPECT_STREQ(core::state::docker_status(c.state), "exited");
  auto j = core::state::to_json(c.state);
  EXPECT_EQ(j["restarting"], false);
  j["restarting"] = true;
  EXPECT_TRUE(core::state::state_from_json(j).restarting);
}

TEST(PsFilter, LabelNameStatusId) {
  auto c = make(Status::kRunning);
  EXPECT_TRUE(ContainerFilter({}).matches(c));
  EXPECT_TRUE(ContainerFilter({"label=tier"}).matches(c));
  EXPECT_TRUE(ContainerFilter({"label=tier=web"}).matches(c));
  EXPECT_FALSE(ContainerFilter({"label=tier=db"}).matches(c));
  EXPECT_FALSE(ContainerFilter({"label=tier=db", "label=env=prod"}).matches(c));  // labels: all
  EXPECT_TRUE(ContainerFilter({"label=tier=web", "label=env"}).matches(c));
  EXPECT_TRUE(ContainerFilter({"name=we"}).matches(c));
  EXPECT_FALSE(ContainerFilter({"name=db"}).matches(c));
  EXPECT_TRUE(ContainerFilter({"status=running"}).matches(c));
  EXPECT_TRUE(ContainerFilter({"status=exited", "status=running"}).matches(c));
  EXPECT_FALSE(ContainerFilter({"status=exited"}).matches(c));
  EXPECT_TRUE(ContainerFilter({"id=aaaa"}).matches(c));
  EXPECT_TRUE(ContainerFilter({"status=exited"}).has_status());
  EXPECT_THROW(ContainerFilter({"color=red"}), Error);
  EXPECT_THROW(ContainerFilter({"status=sleepy"}), Error);
  EXPECT_THROW(ContainerFilter({"label"}), Error);
}

}  // namespace
}  // namespace berth::engine::lifecycle
