#include "engine/lifecycle/container_list.h"

#include <gtest/gtest.h>

#include "common/error.h"

namespace berth::engine::lifecycle {
namespace {

using state::Container;
using state::Status;

const timespec kNow{1796000000, 0};  // 2026-11-30T00:53:20Z

Container make(Status s) {
  Container c;
  c.config.id = std::string(64, 'a');
  c.config.name = "web";
  c.config.image = "busybox";
  c.config.created = "2026-11-30T00:53:15Z";
  c.config.path = "httpd";
  c.config.args = {"-f", "-p", "8080"};
  c.config.labels = {{"tier", "web"}, {"env", "prod"}};
  c.state.status = s;
  c.state.started_at = "2026-11-30T00:53:17Z";
  c.state.finished_at = "2026-11-30T00:53:18Z";
  c.state.exit_code = 3;
  return c;
}

TEST(PsStatus, Words) {
  EXPECT_EQ(status_text(make(Status::kRunning), kNow), "Up 3 seconds");
  EXPECT_EQ(status_text(make(Status::kExited), kNow), "Exited (3) 2 seconds ago");
  EXPECT_EQ(status_text(make(Status::kCreated), kNow), "Created");
  EXPECT_EQ(running_for(make(Status::kCreated), kNow), "5 seconds ago");
}

TEST(PsStatus, RestartingDuringTheBackoff) {
  auto c = make(Status::kExited);
  c.state.restarting = true;
  EXPECT_EQ(status_text(c, kNow), "Restarting (3) 2 seconds ago");
  EXPECT_STREQ(state::docker_status(c.state), "restarting");
  EXPECT_EQ(ps_json(c, kNow)["State"], "restarting");
  EXPECT_TRUE(ContainerFilter({"status=restarting"}).matches(c));
  EXPECT_FALSE(ContainerFilter({"status=exited"}).matches(c));
  c.state.restarting = false;
  EXPECT_STREQ(state::docker_status(c.state), "exited");
  auto j = state::to_json(c.state);
  EXPECT_EQ(j["restarting"], false);
  j["restarting"] = true;
  EXPECT_TRUE(state::state_from_json(j).restarting);
}

TEST(PsCommand, QuotedAndTruncated) {
  EXPECT_EQ(command_text(make(Status::kRunning).config), "\"httpd -f -p 8080\"");
  auto c = make(Status::kRunning).config;
  c.path = "sh";
  c.args = {"-c", "while true; do echo hello; done"};
  EXPECT_EQ(command_text(c), "\"sh -c while true; d…\"");
  EXPECT_EQ(command_text(c, true), "\"sh -c while true; do echo hello; done\"");
  c.args = {"-c", "echo \"hi\""};
  EXPECT_EQ(command_text(c), "\"sh -c echo \\\"hi\\\"\"");
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

TEST(PsJson, DockerKeys) {
  auto j = ps_json(make(Status::kExited), kNow);
  EXPECT_EQ(j["ID"], std::string(12, 'a'));
  EXPECT_EQ(j["Names"], "web");
  EXPECT_EQ(j["State"], "exited");
  EXPECT_EQ(j["Status"], "Exited (3) 2 seconds ago");
  EXPECT_EQ(j["Labels"], "env=prod,tier=web");
  EXPECT_EQ(j["CreatedAt"], "2026-11-30 00:53:15 +0000 UTC");
  EXPECT_EQ(j["RunningFor"], "5 seconds ago");
}

TEST(PsTable, HeaderAndPadding) {
  auto out = ps_table({make(Status::kRunning)}, kNow);
  EXPECT_EQ(
      out,
      "CONTAINER ID   IMAGE     COMMAND              CREATED         STATUS         PORTS   "
      "NAMES\n"
      "aaaaaaaaaaaa   busybox   \"httpd -f -p 8080\"   5 seconds ago   Up 3 seconds           "
      "web\n");
}

}  // namespace
}  // namespace berth::engine::lifecycle
