// pause/unpause, top, stats, rename and cp on real containers.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include "tests/integration/container/container_helpers.h"

namespace berth::test {
namespace {

namespace fs = std::filesystem;

class OpsTest : public BoxTest {};

TEST_F(OpsTest, PauseFreezesAndUnpauseThaws) {
  auto r = st_.berth({"pause", "box"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "box\n");
  auto j = inspect(st_, "box");
  EXPECT_EQ(j["State"]["Status"], "paused");
  EXPECT_EQ(j["State"]["Paused"], true);
  EXPECT_NE(st_.berth({"ps"}).out.find("(Paused)"), std::string::npos);
  EXPECT_EQ(st_.berth({"ps", "-q", "--filter", "status=paused"}).out, id_.substr(0, 12) + "\n");
  r = st_.berth({"exec", "box", "true"});
  EXPECT_EQ(r.exit_code, 125);
  EXPECT_NE(r.err.find("is paused, unpause the container before exec"), std::string::npos);
  EXPECT_NE(st_.berth({"pause", "box"}).exit_code, 0);  // already paused
  r = st_.berth({"unpause", "box"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(inspect(st_, "box")["State"]["Status"], "running");
  EXPECT_EQ(st_.berth({"exec", "box", "true"}).exit_code, 0);
  r = st_.berth({"unpause", "box"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("is not paused"), std::string::npos);
  // A paused container still stops.
  ASSERT_EQ(st_.berth({"pause", "box"}).exit_code, 0);
  EXPECT_EQ(st_.berth({"stop", "-t", "1", "box"}).exit_code, 0);
  EXPECT_EQ(inspect(st_, "box")["State"]["Status"], "exited");
}

TEST_F(OpsTest, TopListsTheContainersProcesses) {
  auto r = st_.berth({"top", "box"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.starts_with("UID")) << r.out;
  for (const char* col : {"PID", "PPID", "STIME", "TTY", "TIME", "CMD"})
    EXPECT_NE(r.out.find(col), std::string::npos) << col;
  EXPECT_NE(r.out.find("sleep 1000"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("root"), std::string::npos);
  EXPECT_EQ(count_lines(r.out), 2) << r.out;
  r = st_.berth({"top", "box", "-o", "pid,comm"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("sleep"), std::string::npos) << r.out;
  EXPECT_EQ(count_lines(r.out), 2) << r.out;
}

TEST_F(OpsTest, StatsReadsTheCgroups) {
  auto r = st_.berth({"stats", "--no-stream", "--format", "json", "box"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["Name"], "box");
  EXPECT_EQ(j["ID"], id_.substr(0, 12));
  EXPECT_EQ(j["PIDs"], "1");
  EXPECT_NE(j["MemUsage"].get<std::string>().find(" / "), std::string::npos);
  EXPECT_TRUE(j["CPUPerc"].get<std::string>().ends_with("%"));
  // The container's eth0 on the default bridge (it sees the bridge's own traffic too).
  EXPECT_TRUE(std::regex_match(j["NetIO"].get<std::string>(),
                               std::regex(R"([0-9.]+[kMG]?B / [0-9.]+[kMG]?B)")))
      << j["NetIO"];
  r = st_.berth({"stats", "--no-stream"});
  EXPECT_TRUE(r.out.starts_with("CONTAINER ID")) << r.out;
  EXPECT_NE(r.out.find("MEM USAGE / LIMIT"), std::string::npos);
  EXPECT_NE(r.out.find("box"), std::string::npos);
}

TEST_F(OpsTest, RenameKeepsNamesUnique) {
  ASSERT_EQ(st_.berth({"run", "-d", "--name", "other", "busybox", "sleep", "1000"}).exit_code, 0);
  auto r = st_.berth({"rename", "box", "other"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("Conflict"), std::string::npos) << r.err;
  r = st_.berth({"rename", "box", "renamed"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(inspect(st_, "renamed")["Name"], "/renamed");
  EXPECT_NE(st_.berth({"inspect", "box"}).exit_code, 0);
  EXPECT_EQ(st_.berth({"exec", "renamed", "true"}).exit_code, 0);
  r = st_.berth({"rename", "renamed", "bad/name"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("Invalid container name (bad/name)"), std::string::npos) << r.err;
}

TEST_F(OpsTest, CpBothWaysRunningAndStopped) {
  const fs::path in = st_.dir() / "in";
  fs::create_directories(in / "sub");
  { std::ofstream(in / "a.txt") << "alpha\n"; }
  { std::ofstream(in / "sub" / "b.txt") << "beta\n"; }
  auto r = st_.berth({"cp", (in / "a.txt").string(), "box:/tmp/"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(st_.berth({"exec", "box", "cat", "/tmp/a.txt"}).out, "alpha\n");
  r = st_.berth({"cp", in.string(), "box:/tmp/dir"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(st_.berth({"exec", "box", "cat", "/tmp/dir/sub/b.txt"}).out, "beta\n");
  const fs::path out = st_.dir() / "out";
  r = st_.berth({"cp", "box:/etc/passwd", out.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(read_file_text(out).find("nobody"), std::string::npos);
  r = st_.berth({"cp", "box:/tmp/dir", (st_.dir() / "outdir").string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_file_text(st_.dir() / "outdir" / "sub" / "b.txt"), "beta\n");
  r = st_.berth({"cp", "box:/nope", out.string()});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("Could not find the file /nope in container box"), std::string::npos)
      << r.err;
  ASSERT_EQ(st_.berth({"stop", "-t", "0", "box"}).exit_code, 0);
  r = st_.berth({"cp", "box:/tmp/a.txt", (st_.dir() / "stopped.txt").string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_file_text(st_.dir() / "stopped.txt"), "alpha\n");
  r = st_.berth({"cp", (in / "sub" / "b.txt").string(), "box:/root/b.txt"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(st_.berth({"start", "box"}).exit_code, 0);
  EXPECT_EQ(st_.berth({"exec", "box", "cat", "/root/b.txt"}).out, "beta\n");
}

}  // namespace
}  // namespace berth::test
