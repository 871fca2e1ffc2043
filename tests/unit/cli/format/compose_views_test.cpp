// The pure text of `compose ls` (a project's combined status and config files) and `compose top`
// (Compose's tabwriter layout of one container's processes).
#include "cli/format/compose_views.h"

#include <gtest/gtest.h>

namespace berth::cli::format {
namespace {

TEST(ComposeLsStatus, CountsEachStateInNameOrder) {
  EXPECT_EQ(combined_status({"running", "exited", "running"}), "exited(1), running(2)");
  EXPECT_EQ(combined_status({"running"}), "running(1)");
  EXPECT_EQ(combined_status({"paused", "created", "restarting"}),
            "created(1), paused(1), restarting(1)");
  EXPECT_EQ(combined_status({}), "");
}

TEST(ComposeLsConfigFiles, EachFileOnceInOrder) {
  EXPECT_EQ(combined_config_files({"/p/compose.yaml,/p/override.yaml", "/p/compose.yaml"}),
            "/p/compose.yaml,/p/override.yaml");
  EXPECT_EQ(combined_config_files({"/a.yaml", "/b.yaml"}), "/a.yaml,/b.yaml");
  EXPECT_EQ(combined_config_files({}), "");
}

TEST(ComposeTopTable, ColumnsAtLeastFiveWideWithThreeSpacesAndPaddedRows) {
  const std::string t = compose_top_table({"UID", "PID", "CMD"},
                                          {{"root", "12345", "sleep 600"}, {"1000", "7", "sh"}});
  EXPECT_EQ(t,
            "UID    PID     CMD\n"
            "root   12345   sleep 600   \n"
            "1000   7       sh          \n");
  EXPECT_EQ(compose_top_table({"PID"}, {}), "PID\n");
}

}  // namespace
}  // namespace berth::cli::format
