// `cp` with "-" (Docker's tar-stream forms): `cp CONTAINER:PATH -` writes PATH as a tar on
// stdout, `cp - CONTAINER:DIR` extracts a tar from stdin into DIR; running and stopped
// containers, and the errors for a missing or non-directory destination.
#include <gtest/gtest.h>

#include <fstream>

#include "tests/integration/container/container_helpers.h"
#include "tests/security/image/tar_builder.h"

namespace berth::test {
namespace {

namespace fs = std::filesystem;

class CpTarTest : public BoxTest {
 protected:
  std::string tar_text(const TarBuilder& t) {
    const fs::path p = st_.dir() / "in.tar";
    t.write(p);
    return read_file_text(p);
  }
  RunResult exec(const std::vector<std::string>& args) { return exec_in_box(args); }
  // `tar -tvf` of what `cp box:src -` wrote, extracted into a fresh host dir too.
  std::string list_out(const std::string& src, const fs::path& into) {
    auto r = st_.berth({"cp", "box:" + src, "-"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    const fs::path file = st_.dir() / "out.tar";
    { std::ofstream(file, std::ios::binary) << r.out; }
    fs::create_directories(into);
    EXPECT_EQ(run_command({"/bin/tar", "-C", into.string(), "-xf", file.string()}).exit_code, 0);
    return run_command({"/bin/tar", "-tf", file.string()}).out;
  }
};

TEST_F(CpTarTest, ExtractsATarFromStdinIntoADirectory) {
  TarBuilder t;
  t.dir("d").file("d/a.txt", "hello\n", 0640).owner(33, 33).symlink("d/l", "a.txt");
  t.file("top.txt", "top\n");
  auto r = st_.berth({"cp", "-", "box:/tmp"}, tar_text(t));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(exec({"cat", "/tmp/d/a.txt", "/tmp/top.txt"}).out, "hello\ntop\n");
  EXPECT_EQ(exec({"readlink", "/tmp/d/l"}).out, "a.txt\n");
  EXPECT_EQ(exec({"stat", "-c", "%a %u", "/tmp/d/a.txt"}).out, "640 33\n");
}

TEST_F(CpTarTest, WritesPathAsATarOnStdout) {
  ASSERT_EQ(exec({"sh", "-c",
                  "mkdir -p /srv/x/y && echo one > /srv/x/1 && echo two > /srv/x/y/2 "
                  "&& ln -s 1 /srv/x/link"})
                .exit_code,
            0);
  const fs::path host = st_.dir() / "host";
  auto names = list_out("/srv/x", host);
  EXPECT_NE(names.find("x/1\n"), std::string::npos) << names;
  EXPECT_NE(names.find("x/y/2\n"), std::string::npos) << names;
  EXPECT_EQ(read_file_text(host / "x/y/2"), "two\n");
  EXPECT_EQ(fs::read_symlink(host / "x/link"), "1");
  // A single file is one entry named after it; "DIR/." gives the contents.
  EXPECT_EQ(list_out("/srv/x/1", st_.dir() / "h2"), "1\n");
  auto dot = list_out("/srv/x/.", st_.dir() / "h3");
  EXPECT_NE(dot.find("./y/2\n"), std::string::npos) << dot;
}

TEST_F(CpTarTest, WorksOnAStoppedContainer) {
  ASSERT_EQ(st_.berth({"stop", "-t", "0", "box"}).exit_code, 0);
  TarBuilder t;
  t.file("while-stopped.txt", "cold\n");
  auto r = st_.berth({"cp", "-", "box:/root"}, tar_text(t));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto names = list_out("/root/while-stopped.txt", st_.dir() / "h");
  EXPECT_EQ(names, "while-stopped.txt\n");
  EXPECT_EQ(read_file_text(st_.dir() / "h/while-stopped.txt"), "cold\n");
  ASSERT_EQ(st_.berth({"start", "box"}).exit_code, 0);
  EXPECT_EQ(exec({"cat", "/root/while-stopped.txt"}).out, "cold\n");
}

TEST_F(CpTarTest, DestinationMustBeAnExistingDirectory) {
  TarBuilder t;
  t.file("f", "x");
  auto r = st_.berth({"cp", "-", "box:/nonexistent"}, tar_text(t));
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("Could not find the file /nonexistent"), std::string::npos) << r.err;
  r = st_.berth({"cp", "-", "box:/etc/passwd"}, tar_text(t));
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("not a directory"), std::string::npos) << r.err;
  r = st_.berth({"cp", "box:/nonexistent", "-"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_TRUE(r.out.empty());
}

}  // namespace
}  // namespace berth::test
