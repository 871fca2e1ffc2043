#include "common/run_program.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>

#include "common/error.h"
#include "tests/support/harness.h"

namespace berth {
namespace {

namespace fs = std::filesystem;

ProgramOutput sh(const std::string& script, std::string_view input = {}) {
  return run_program("/bin/sh", {"sh", "-c", script}, input);
}

TEST(RunProgram, FeedsStdinAndCapturesBothOutputs) {
  auto r = sh("read line; echo \"got $line\"; echo oops >&2", "hello\n");
  EXPECT_TRUE(r.exited_zero());
  EXPECT_EQ(r.out, "got hello\n");
  EXPECT_EQ(r.err, "oops\n");
}

TEST(RunProgram, ReportsTheExitStatus) {
  auto r = sh("exit 3");
  EXPECT_FALSE(r.exited_zero());
  ASSERT_TRUE(WIFEXITED(r.status));
  EXPECT_EQ(WEXITSTATUS(r.status), 3);
}

// More than a pipe holds each way: input is written while output is read.
TEST(RunProgram, LargeInputAndOutputDoNotDeadlock) {
  const std::string big(1 << 20, 'x');
  auto r = sh("cat; cat /dev/null >&2", big);
  EXPECT_TRUE(r.exited_zero());
  EXPECT_EQ(r.out.size(), big.size());
}

// A program that never reads its stdin: the write fails with EPIPE instead of killing us.
TEST(RunProgram, ProgramThatIgnoresItsInput) {
  const std::string big(1 << 20, 'x');
  auto r = sh("echo done", big);
  EXPECT_TRUE(r.exited_zero());
  EXPECT_EQ(r.out, "done\n");
}

TEST(RunProgram, MissingProgramThrows) {
  EXPECT_THROW(run_program("/nonexistent/prog", {"prog"}, ""), Error);
}

TEST(FindOnPath, FindsAnExecutableAndSkipsTheRest) {
  const fs::path dir = test::make_temp_dir("berth-path-");
  const fs::path a = dir / "a", b = dir / "b";
  fs::create_directories(a);
  fs::create_directories(b);
  std::ofstream(a / "tool") << "not executable\n";
  std::ofstream(b / "tool") << "#!/bin/sh\n";
  ::chmod((b / "tool").c_str(), 0755);
  fs::create_directories(a / "dir-tool");
  const char* old = std::getenv("PATH");
  const std::string saved = old ? old : "";
  ::setenv("PATH", (a.string() + ":" + b.string()).c_str(), 1);
  auto found = find_on_path("tool");
  auto dir_tool = find_on_path("dir-tool");
  auto none = find_on_path("nosuchtool");
  ::setenv("PATH", saved.c_str(), 1);
  fs::remove_all(dir);
  EXPECT_EQ(found, b / "tool");
  EXPECT_EQ(dir_tool, std::nullopt);
  EXPECT_EQ(none, std::nullopt);
  EXPECT_EQ(find_on_path("a/b"), std::nullopt);
}

}  // namespace
}  // namespace berth
