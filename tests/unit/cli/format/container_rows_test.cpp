#include "cli/format/container_rows.h"

#include <gtest/gtest.h>

#include <sstream>

#include "common/error.h"
#include "tests/support/sample_records.h"

namespace berth::cli::format {
namespace {

namespace state = core::state;
using core::state::Container;
using core::state::Status;

const timespec kNow{1796000000, 0};  // 2026-11-30T00:53:20Z

Container make(Status s) {
  return test::sample_container(s);
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
  EXPECT_STREQ(core::state::docker_status(c.state), "restarting");
  EXPECT_EQ(ps_row(c, kNow).fields["State"], "restarting");
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

TEST(PsJson, DockerKeys) {
  auto j = ps_row(make(Status::kExited), kNow).fields;
  EXPECT_EQ(j["ID"], std::string(12, 'a'));
  EXPECT_EQ(j["Names"], "web");
  EXPECT_EQ(j["State"], "exited");
  EXPECT_EQ(j["Status"], "Exited (3) 2 seconds ago");
  EXPECT_EQ(j["Labels"], "env=prod,tier=web");
  EXPECT_EQ(j["CreatedAt"], "2026-11-30 00:53:15 +0000 UTC");
  EXPECT_EQ(j["RunningFor"], "5 seconds ago");
}

std::string print(const std::string& fmt, const std::vector<Row>& rows) {
  std::ostringstream out;
  print_list(out, fmt, ps_columns(), rows);
  return out.str();
}

// Docker's MOUNTS: a volume's name or a bind's source, shortened to 15 unless --no-trunc;
// LOCAL VOLUMES counts the local-driver volumes.
TEST(PsJson, MountsAndLocalVolumes) {
  auto c = make(Status::kRunning);
  c.config.extensions["mounts"] = {
      {{"Type", "volume"}, {"Name", "data"}, {"Source", "/x"}, {"Driver", "local"}},
      {{"Type", "bind"}, {"Source", "/home/user/projects/site"}}};
  auto j = ps_row(c, kNow).fields;
  EXPECT_EQ(j["Mounts"], "data,/home/user/pro…");
  EXPECT_EQ(j["LocalVolumes"], "1");
  EXPECT_EQ(ps_row(c, kNow, true).fields["Mounts"], "data,/home/user/projects/site");
}

TEST(PsTable, HeaderAndPadding) {
  // Docker's tabwriter: every column at least 10 wide, so the empty PORTS column is too.
  EXPECT_EQ(
      print("", {ps_row(make(Status::kRunning), kNow)}),
      "CONTAINER ID   IMAGE     COMMAND              CREATED         STATUS         PORTS     "
      "NAMES\n"
      "aaaaaaaaaaaa   busybox   \"httpd -f -p 8080\"   5 seconds ago   Up 3 seconds             "
      "web\n");
  EXPECT_EQ(print("table", {}), print("", {}));
}

TEST(PsFormat, TemplatesTableAndJson) {
  const std::vector<Row> rows = {ps_row(make(Status::kRunning), kNow)};
  EXPECT_EQ(print("{{.Names}} {{.Status}}", rows), "web Up 3 seconds\n");
  EXPECT_EQ(print("table {{.ID}}\\t{{.Names}}", rows),
            "CONTAINER ID   NAMES\naaaaaaaaaaaa   web\n");
  EXPECT_EQ(print("{{.Label \"tier\"}}", rows), "web\n");
  EXPECT_EQ(print("json", rows), print("{{json .}}", rows));
  EXPECT_EQ(nlohmann::json::parse(print("json", rows))["Names"], "web");
  EXPECT_EQ(print("{{.ID}}", {ps_row(make(Status::kRunning), kNow, true)}),
            std::string(64, 'a') + "\n");
  try {
    print("{{.Nope}}", rows);
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "--format: template: can't evaluate field Nope");
  }
}

}  // namespace
}  // namespace berth::cli::format
