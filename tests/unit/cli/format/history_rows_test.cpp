// `history` rows and tables as docker/cli prints them: "ago" times and go-units sizes, or
// RFC 3339 and bytes with --human=false; CREATED BY cut to 45 characters with "…"; IDs cut to
// 12 hex digits; -q prints the IDs alone.
#include "cli/format/history_rows.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <sstream>

namespace berth::cli::format {
namespace {

using engine::image::HistoryItem;

const std::time_t kHistoryNow = 1796695200;  // 2026-12-08T02:00:00Z
const char* kHistoryId = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

// Sets TZ for the test (local times are printed); restores it after.
class HistoryRowsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const char* tz = std::getenv("TZ")) old_tz_ = tz;
    set_tz("UTC");
  }
  void TearDown() override {
    if (old_tz_) {
      set_tz(old_tz_->c_str());
    } else {
      ::unsetenv("TZ");
      ::tzset();
    }
  }
  static void set_tz(const char* tz) {
    ::setenv("TZ", tz, 1);
    ::tzset();
  }
  std::vector<HistoryItem> items() const {
    return {{kHistoryId, kHistoryNow - 7200, "sh -c echo hi > /a", "snapshot", 6},
            {"<missing>", kHistoryNow - 3 * 86400, "/bin/sh -c #(nop)  CMD [\"sh\"]", "", 0},
            {"<missing>", kHistoryNow - 3 * 86400, "", "Imported from -", 4261234}};
  }
  std::string print(const std::string& format, bool quiet, bool human, bool no_trunc) const {
    std::vector<Row> rows;
    for (const auto& i : items()) rows.push_back(history_row(i, kHistoryNow, human, no_trunc));
    std::ostringstream out;
    print_list(out, format, history_columns(quiet, human), rows);
    return out.str();
  }

 private:
  std::optional<std::string> old_tz_;
};

TEST_F(HistoryRowsTest, TheDefaultTable) {
  EXPECT_EQ(
      print("", false, true, false),
      "IMAGE          CREATED       CREATED BY                      SIZE      COMMENT\n"
      "0123456789ab   2 hours ago   sh -c echo hi > /a              6B        snapshot\n"
      "<missing>      3 days ago    /bin/sh -c #(nop)  CMD [\"sh\"]   0B        \n"
      "<missing>      3 days ago                                    4.26MB    Imported from -\n");
}

TEST_F(HistoryRowsTest, NotHumanPrintsRfc3339AndBytes) {
  EXPECT_EQ(
      print("table", false, false, false),
      "IMAGE          CREATED AT             CREATED BY                      SIZE      COMMENT\n"
      "0123456789ab   2026-12-08T00:00:00Z   sh -c echo hi > /a              6         snapshot\n"
      "<missing>      2026-12-05T02:00:00Z   /bin/sh -c #(nop)  CMD [\"sh\"]   0         \n"
      "<missing>      2026-12-05T02:00:00Z                                   4261234   Imported "
      "from -\n");
}

TEST_F(HistoryRowsTest, QuietPrintsTheIdsAlone) {
  EXPECT_EQ(print("", true, true, false), "0123456789ab\n<missing>\n<missing>\n");
  EXPECT_EQ(print("", true, true, true), std::string(kHistoryId) + "\n<missing>\n<missing>\n");
}

TEST_F(HistoryRowsTest, JsonAndTemplates) {
  EXPECT_EQ(print("{{.ID}}|{{.CreatedSince}}|{{.Size}}", false, true, false),
            "0123456789ab|2 hours ago|6B\n<missing>|3 days ago|0B\n<missing>|3 days ago|4.26MB\n");
  const std::string json = print("json", false, true, false);
  EXPECT_EQ(
      json.substr(0, json.find('\n')),
      "{\"Comment\":\"snapshot\",\"CreatedAt\":\"2026-12-08T00:00:00Z\",\"CreatedBy\":\"sh -c "
      "echo hi > /a\",\"CreatedSince\":\"2 hours ago\",\"ID\":\"0123456789ab\",\"Size\":"
      "\"6B\"}");
}

TEST_F(HistoryRowsTest, CreatedByIsCutAt45CharactersUnlessNoTrunc) {
  const std::string long_cmd =
      "/bin/sh -c apk add --no-cache\tcurl ca-certificates tzdata && rm -rf /var/cache";
  HistoryItem item{kHistoryId, kHistoryNow, long_cmd, "", 0};
  EXPECT_EQ(history_row(item, kHistoryNow, true, false).fields["CreatedBy"],
            "/bin/sh -c apk add --no-cache curl ca-certif…");
  EXPECT_EQ(history_row(item, kHistoryNow, true, true).fields["CreatedBy"],
            "/bin/sh -c apk add --no-cache curl ca-certificates tzdata && rm -rf /var/cache");
  EXPECT_EQ(history_row(item, kHistoryNow, true, true).fields["ID"], kHistoryId);
}

TEST_F(HistoryRowsTest, LocalTimesCarryTheirOffset) {
  set_tz("XXX-01:30");
  HistoryItem item{kHistoryId, kHistoryNow, "", "", 0};
  EXPECT_EQ(history_row(item, kHistoryNow, false, false).fields["CreatedAt"],
            "2026-12-08T03:30:00+01:30");
  EXPECT_EQ(history_row(item, kHistoryNow, false, false).fields["CreatedSince"],
            "2026-12-08T03:30:00+01:30");
}

}  // namespace
}  // namespace berth::cli::format
