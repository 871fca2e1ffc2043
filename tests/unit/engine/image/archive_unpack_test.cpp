// `ADD <archive> <dir>`: which sources count as tar archives (each compression Docker
// detects), and how one unpacks into an existing directory. Archives are made with the host's
// tar and compressors; ownership checks need root and are skipped otherwise.
#include "engine/image/archive_unpack.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <iterator>

#include "common/error.h"
#include "sys/unique_fd.h"
#include "tests/security/image/tar_builder.h"
#include "tests/support/harness.h"

namespace berth::engine::image {
namespace {

namespace fs = std::filesystem;

struct ArchiveFormat {
  const char* name;
  const char* tar_flag;  // "" for a plain tar
};

void PrintTo(const ArchiveFormat& f, std::ostream* os) {
  *os << f.name;
}

const ArchiveFormat kArchiveFormats[] = {
    {"plain", ""}, {"gzip", "--gzip"}, {"bzip2", "--bzip2"}, {"xz", "--xz"}, {"zstd", "--zstd"},
};

std::string unpacked_text(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

class ArchiveUnpackTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = berth::test::make_temp_dir("berth-unit-");
    fs::create_directories(dir_ / "src/sub");
    fs::create_directory(dir_ / "dest");
    std::ofstream(dir_ / "src/a.txt") << "alpha";
    std::ofstream(dir_ / "src/sub/b.txt") << "beta";
    fs::create_symlink("../a.txt", dir_ / "src/sub/link");
    ::chmod((dir_ / "src/sub/b.txt").c_str(), 0751);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Makes dir_/NAME from src/ with the host's tar; returns its path.
  fs::path make_archive(const std::string& name, const std::string& flag) {
    fs::path out = dir_ / name;
    std::vector<std::string> argv = {"/usr/bin/tar", "-C", (dir_ / "src").string(), "-cf",
                                     out.string()};
    if (!flag.empty()) argv.push_back(flag);
    argv.push_back(".");
    auto r = berth::test::run_command(argv);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return out;
  }
  sys::UniqueFd open_ro(const fs::path& p) {
    return sys::UniqueFd(::open(p.c_str(), O_RDONLY | O_CLOEXEC));
  }
  sys::UniqueFd open_dest() {
    return sys::UniqueFd(::open((dir_ / "dest").c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  }
  // The message unpack_archive throws for the tarball t, "" when it does not.
  std::string unpack_error(const test::TarBuilder& t) {
    t.write(dir_ / "t.tar");
    try {
      unpack_archive(open_ro(dir_ / "t.tar").get(), "t.tar", open_dest().get());
    } catch (const Error& e) {
      return e.what();
    }
    return "";
  }
  fs::path dir_;
};

class ArchiveFormatTest : public ArchiveUnpackTest,
                          public ::testing::WithParamInterface<ArchiveFormat> {};

TEST_P(ArchiveFormatTest, IsDetectedAndOffsetKept) {
  fs::path a = make_archive("a.tar", GetParam().tar_flag);
  sys::UniqueFd fd = open_ro(a);
  ASSERT_EQ(::lseek(fd.get(), 0, SEEK_SET), 0);
  EXPECT_TRUE(is_tar_archive(fd.get()));
  EXPECT_EQ(::lseek(fd.get(), 0, SEEK_CUR), 0);
}

TEST_P(ArchiveFormatTest, UnpacksIntoTheDestination) {
  fs::path a = make_archive("a.tar", GetParam().tar_flag);
  unpack_archive(open_ro(a).get(), "a.tar", open_dest().get());
  EXPECT_EQ(unpacked_text(dir_ / "dest/a.txt"), "alpha");
  EXPECT_EQ(unpacked_text(dir_ / "dest/sub/b.txt"), "beta");
  EXPECT_EQ(fs::read_symlink(dir_ / "dest/sub/link"), "../a.txt");
  struct stat st {};
  ASSERT_EQ(::stat((dir_ / "dest/sub/b.txt").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0751u);
}

INSTANTIATE_TEST_SUITE_P(Compressions, ArchiveFormatTest, ::testing::ValuesIn(kArchiveFormats),
                         [](const auto& info) { return std::string(info.param.name); });

TEST_F(ArchiveUnpackTest, NotArchives) {
  std::ofstream(dir_ / "empty");
  std::ofstream(dir_ / "text") << std::string(2000, 't');
  std::ofstream(dir_ / "zeros") << std::string(10240, '\0');  // a tar of nothing but end blocks
  std::ofstream(dir_ / "gz-text") << std::string(2000, 'g');
  ASSERT_EQ(berth::test::run_command({"/usr/bin/gzip", (dir_ / "gz-text").string()}).exit_code, 0);
  for (const char* name : {"empty", "text", "zeros", "gz-text.gz"}) {
    sys::UniqueFd fd = open_ro(dir_ / name);
    EXPECT_FALSE(is_tar_archive(fd.get())) << name;
    EXPECT_EQ(::lseek(fd.get(), 0, SEEK_CUR), 0) << name;
  }
}

TEST_F(ArchiveUnpackTest, OffsetIsRestoredWhereverItWas) {
  fs::path a = make_archive("a.tar", "--gzip");
  sys::UniqueFd fd = open_ro(a);
  ASSERT_EQ(::lseek(fd.get(), 7, SEEK_SET), 7);
  EXPECT_TRUE(is_tar_archive(fd.get()));
  EXPECT_EQ(::lseek(fd.get(), 0, SEEK_CUR), 7);
}

TEST_F(ArchiveUnpackTest, ExistingDirectoriesMergeAndFilesAreReplaced) {
  fs::create_directories(dir_ / "dest/sub");
  std::ofstream(dir_ / "dest/sub/kept") << "image file";
  std::ofstream(dir_ / "dest/sub/b.txt") << "old";
  fs::create_directories(dir_ / "dest/a.txt/was-a-dir");
  fs::path a = make_archive("a.tar", "--xz");
  unpack_archive(open_ro(a).get(), "a.tar", open_dest().get());
  EXPECT_EQ(unpacked_text(dir_ / "dest/sub/kept"), "image file");
  EXPECT_EQ(unpacked_text(dir_ / "dest/sub/b.txt"), "beta");
  EXPECT_EQ(unpacked_text(dir_ / "dest/a.txt"), "alpha");
}

TEST_F(ArchiveUnpackTest, WhiteoutNamesAreOrdinaryFiles) {
  test::TarBuilder t;
  t.file(".wh.gone", "not a whiteout").file(".wh..wh..opq", "nor this");
  EXPECT_EQ(unpack_error(t), "");
  EXPECT_EQ(unpacked_text(dir_ / "dest/.wh.gone"), "not a whiteout");
  EXPECT_TRUE(fs::is_regular_file(dir_ / "dest/.wh..wh..opq"));
}

TEST_F(ArchiveUnpackTest, RefusalNamesTheSourceAndTheEntry) {
  test::TarBuilder t;
  t.file("ok", "x").file("../up", "x");
  EXPECT_EQ(unpack_error(t), "unpack t.tar: layer entry `../up`: path contains \"..\"");
}

TEST_F(ArchiveUnpackTest, OwnersFromTheArchiveOrFromChown) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to chown";
  test::TarBuilder t;
  t.dir("d").owner(5, 6).file("d/f", "x").owner(7, 8).symlink("d/l", "f").owner(9, 10);
  t.write(dir_ / "t.tar");
  fs::create_directory(dir_ / "dest/keep");
  unpack_archive(open_ro(dir_ / "t.tar").get(), "t.tar", open_dest().get());
  struct stat st {};
  ASSERT_EQ(::lstat((dir_ / "dest/d/f").c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, 7u);
  EXPECT_EQ(st.st_gid, 8u);

  fs::remove_all(dir_ / "dest/d");
  UnpackOptions opts;
  opts.chown = TarOwner{1234, 4321};
  unpack_archive(open_ro(dir_ / "t.tar").get(), "t.tar", open_dest().get(), opts);
  for (const char* p : {"dest/d", "dest/d/f", "dest/d/l"}) {
    ASSERT_EQ(::lstat((dir_ / p).c_str(), &st), 0) << p;
    EXPECT_EQ(st.st_uid, 1234u) << p;
    EXPECT_EQ(st.st_gid, 4321u) << p;
  }
  // What was in the destination before keeps its owner.
  ASSERT_EQ(::lstat((dir_ / "dest/keep").c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, 0u);
}

}  // namespace
}  // namespace berth::engine::image
