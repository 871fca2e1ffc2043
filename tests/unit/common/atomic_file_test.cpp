#include "common/atomic_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "common/error.h"
#include "tests/support/harness.h"

namespace berth {
namespace {

namespace fs = std::filesystem;

class AtomicFileTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = berth::test::make_temp_dir("berth-unit-"); }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

// An identical file is left alone (same inode: no replacement); a changed one is replaced.
TEST_F(AtomicFileTest, WriteIfChangedSkipsIdenticalContent) {
  const fs::path f = dir_ / "hosts";
  write_file_if_changed(f, "a\n", 0644);
  struct stat first {
  }, again{}, changed{};
  ASSERT_EQ(::stat(f.c_str(), &first), 0);
  write_file_if_changed(f, "a\n", 0644);
  ASSERT_EQ(::stat(f.c_str(), &again), 0);
  EXPECT_EQ(again.st_ino, first.st_ino);
  write_file_if_changed(f, "b\n", 0644);
  ASSERT_EQ(::stat(f.c_str(), &changed), 0);
  EXPECT_NE(changed.st_ino, first.st_ino);
  EXPECT_EQ(read_file(f), "b\n");
  EXPECT_EQ(changed.st_mode & 0777, 0644u);
}

TEST_F(AtomicFileTest, WritesThenReadsBack) {
  write_file_atomic(dir_ / "a.json", "{\"x\":1}", 0640);
  EXPECT_EQ(read_file(dir_ / "a.json"), "{\"x\":1}");
  struct stat st {};
  ASSERT_EQ(::stat((dir_ / "a.json").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0640u);
}

TEST_F(AtomicFileTest, ReplacesWithoutLeavingTempFiles) {
  write_file_atomic(dir_ / "a", "one");
  write_file_atomic(dir_ / "a", "two");
  EXPECT_EQ(read_file(dir_ / "a"), "two");
  int entries = 0;
  for ([[maybe_unused]] auto& e : fs::directory_iterator(dir_)) ++entries;
  EXPECT_EQ(entries, 1);
}

TEST_F(AtomicFileTest, MissingFileIsNotFound) {
  EXPECT_THROW(read_file(dir_ / "nope"), NotFound);
  EXPECT_FALSE(read_file_if_exists(dir_ / "nope").has_value());
}

TEST_F(AtomicFileTest, MakeDirsCreatesNested) {
  make_dirs(dir_ / "a/b/c");
  EXPECT_TRUE(fs::is_directory(dir_ / "a/b/c"));
  make_dirs(dir_ / "a/b/c");  // idempotent
}

TEST(ErrorTest, ErrnoMessageNamesOpAndSubject) {
  EXPECT_EQ(errno_message("mount", "/x", ENOENT), "mount `/x`: No such file or directory");
  Error e("inner", 125);
  auto outer = e.with_context("start web");
  EXPECT_STREQ(outer.what(), "start web: inner");
  EXPECT_EQ(outer.exit_code(), 125);
}

}  // namespace
}  // namespace berth
