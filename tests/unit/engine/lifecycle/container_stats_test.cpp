#include "engine/lifecycle/container_stats.h"

#include <gtest/gtest.h>

#include "engine/lifecycle/container_top.h"

namespace berth::engine::lifecycle {
namespace {

TEST(StatsFormat, GoUnitsSizes) {
  EXPECT_EQ(bytes_size(0), "0B");
  EXPECT_EQ(bytes_size(1536), "1.5KiB");
  EXPECT_EQ(bytes_size(2.5 * 1024 * 1024 * 1024), "2.5GiB");
  EXPECT_EQ(human_size(0), "0B");
  EXPECT_EQ(human_size(999), "999B");
  EXPECT_EQ(human_size(1234), "1.23kB");
  EXPECT_EQ(human_size(123456789), "123MB");
}

TEST(StatsFormat, RowFromTwoSamples) {
  core::state::Container c;
  c.config.id = std::string(64, 'a');
  c.config.name = "web";
  StatsSample a, b;
  a.system_ns = 1'000'000'000;
  b.system_ns = 2'000'000'000;
  b.cpu_ns = 250'000'000;
  b.mem_usage = 1024 * 1024;
  b.mem_limit = 4 * 1024 * 1024;
  b.pids = 3;
  auto r = stats_row(c, a, b);
  EXPECT_EQ(r.id, std::string(12, 'a'));
  EXPECT_EQ(r.mem_usage, "1MiB / 4MiB");
  EXPECT_EQ(r.mem_perc, "25.00%");
  EXPECT_EQ(r.pids, "3");
  EXPECT_EQ(r.net_io, "0B / 0B");
  auto j = stats_json(r);
  EXPECT_EQ(j["Name"], "web");
  EXPECT_EQ(j["Container"], std::string(12, 'a'));
}

TEST(TopFormat, DockersTabWriterColumns) {
  ProcessTable t;
  t.titles = {"UID", "PID", "CMD"};
  t.processes = {{"root", "4242", "sleep 1000"}};
  EXPECT_EQ(format_table(t),
            "UID                 PID                 CMD\n"
            "root                4242                sleep 1000\n");
}

}  // namespace
}  // namespace berth::engine::lifecycle
