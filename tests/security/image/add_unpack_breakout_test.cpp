// Hostile archives for Dockerfile `ADD <archive> <dir>` (engine/image/archive_unpack.h): each
// tries to write, link or chmod outside the destination directory. The destination sits in
// `box/root`; `box` holds a canary file and a canary directory, and an absolute canary
// directory elsewhere in /tmp stands for the host. Whatever unpack_archive does (refuse with
// one line naming the source and entry, or confine the entry inside the destination), the
// canaries stay exactly as they were.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <sstream>

#include "common/error.h"
#include "engine/image/archive_unpack.h"
#include "sys/unique_fd.h"
#include "tests/security/image/tar_builder.h"
#include "tests/support/harness.h"

namespace berth::test {
namespace {

namespace fs = std::filesystem;

// Everything observable about a tree (links not followed), and the tree itself.
std::map<std::string, std::string> outside_snapshot(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (auto it = fs::recursive_directory_iterator(dir); it != fs::recursive_directory_iterator();
       ++it) {
    if (it->path().filename() == "root") {
      it.disable_recursion_pending();  // the destination itself may change
      continue;
    }
    struct stat st {};
    ::lstat(it->path().c_str(), &st);
    std::ostringstream s;
    s << st.st_mode << ":" << st.st_uid << ":" << st.st_gid << ":" << st.st_size << ":"
      << st.st_mtim.tv_sec << ":" << st.st_nlink;
    if (S_ISREG(st.st_mode)) {
      std::ifstream f(it->path());
      s << ":" << std::string(std::istreambuf_iterator<char>(f), {});
    }
    out[it->path().string()] = s.str();
  }
  return out;
}

struct AddCtx {
  fs::path box;   // box/root is the destination
  fs::path host;  // an absolute directory standing for the host, outside box
  std::string host_rel() const { return host.string().substr(1); }
};

class AddUnpackBreakoutTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ctx_.box = make_temp_dir("berth-add-box-");
    ctx_.host = make_temp_dir("berth-add-host-");
    fs::create_directories(ctx_.box / "root");
    fs::create_directories(ctx_.box / "canary-dir");
    std::ofstream(ctx_.box / "canary") << "canary: nothing may change me";
    std::ofstream(ctx_.host / "passwd") << "root:x:0:0";
    fs::create_directories(ctx_.host / "etc");
    before_box_ = outside_snapshot(ctx_.box);
    before_host_ = outside_snapshot(ctx_.host);
    passwd_links_ = fs::hard_link_count("/etc/passwd");
  }
  void TearDown() override {
    fs::remove_all(ctx_.box);
    fs::remove_all(ctx_.host);
  }

  // Unpacks t (compressed with `compressor` when given); the error, "" when accepted. Then
  // checks that nothing outside box/root changed.
  std::string unpack(const TarBuilder& t, const std::string& compressor = "") {
    fs::path tar = ctx_.host.parent_path() / (ctx_.host.filename().string() + ".tar");
    t.write(tar);
    if (!compressor.empty()) {
      EXPECT_EQ(run_command({compressor, "-f", tar.string()}).exit_code, 0);
      tar += compressor == "/usr/bin/bzip2" ? ".bz2" : ".gz";
    }
    std::string error;
    {
      sys::UniqueFd src(::open(tar.c_str(), O_RDONLY | O_CLOEXEC));
      sys::UniqueFd dest(::open((ctx_.box / "root").c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
      EXPECT_TRUE(engine::image::is_tar_archive(src.get()));
      try {
        engine::image::unpack_archive(src.get(), "hostile.tar", dest.get());
      } catch (const Error& e) {
        error = e.what();
      }
    }
    fs::remove(tar);
    EXPECT_EQ(outside_snapshot(ctx_.box), before_box_)
        << "something outside the destination changed";
    EXPECT_EQ(outside_snapshot(ctx_.host), before_host_) << "the host directory changed";
    EXPECT_EQ(fs::hard_link_count("/etc/passwd"), passwd_links_);
    return error;
  }

  fs::path root() const { return ctx_.box / "root"; }

  AddCtx ctx_;
  std::map<std::string, std::string> before_box_, before_host_;
  uintmax_t passwd_links_ = 0;
};

TEST_F(AddUnpackBreakoutTest, DotDotFileIsRefused) {
  TarBuilder t;
  t.file("../pwned", "x");
  EXPECT_EQ(unpack(t), "unpack hostile.tar: layer entry `../pwned`: path contains \"..\"");
  EXPECT_FALSE(fs::exists(ctx_.box / "pwned"));
}

TEST_F(AddUnpackBreakoutTest, DotDotIntoTheCanaryIsRefused) {
  TarBuilder t;
  t.dir("a").file("a/../../canary", "overwritten");
  EXPECT_NE(unpack(t, "/usr/bin/gzip"), "");
}

TEST_F(AddUnpackBreakoutTest, AbsoluteNameLandsInside) {
  TarBuilder t;
  t.file("/" + ctx_.host_rel() + "/passwd", "inside").file("/top", "t");
  EXPECT_EQ(unpack(t), "");
  std::ifstream f(root() / ctx_.host_rel() / "passwd");
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(f), {}), "inside");
  EXPECT_TRUE(fs::exists(root() / "top"));
}

TEST_F(AddUnpackBreakoutTest, SymlinkToSlashThenFileThroughIt) {
  TarBuilder t;
  t.symlink("l", "/").file("l/" + ctx_.host_rel() + "/pwned", "x");
  EXPECT_EQ(unpack(t, "/usr/bin/bzip2"),
            "unpack hostile.tar: layer entry `l/" + ctx_.host_rel() +
                "/pwned`: path goes through a symlink or non-directory `l`");
}

TEST_F(AddUnpackBreakoutTest, SymlinkToTheHostDirThenDirectoryThroughIt) {
  TarBuilder t;
  t.symlink("h", ctx_.host.string()).dir("h/etc/newdir").file("h/passwd", "x");
  EXPECT_NE(unpack(t), "");
}

TEST_F(AddUnpackBreakoutTest, ClimbingRelativeSymlinkIsRefused) {
  TarBuilder t;
  t.symlink("up", "../canary");
  EXPECT_EQ(unpack(t),
            "unpack hostile.tar: layer entry `up`: symlink to `../canary` leaves the layer");
}

TEST_F(AddUnpackBreakoutTest, HardlinkToEtcPasswdIsRefused) {
  TarBuilder t;
  t.hardlink("p", "/etc/passwd");
  EXPECT_EQ(unpack(t), "unpack hostile.tar: layer entry `p`: `etc` does not exist in the layer");
  // The destination has an etc/ of its own (an image's): the target is looked up there.
  fs::create_directory(root() / "etc");
  EXPECT_EQ(
      unpack(t),
      "unpack hostile.tar: layer entry `p`: hardlink target `/etc/passwd` is not in the layer");
}

TEST_F(AddUnpackBreakoutTest, HardlinkClimbingToTheCanaryIsRefused) {
  TarBuilder t;
  t.hardlink("c", "../canary");
  EXPECT_NE(unpack(t), "");
}

TEST_F(AddUnpackBreakoutTest, HardlinkThroughAnUnpackedSymlinkIsRefused) {
  TarBuilder t;
  t.symlink("s", "/").hardlink("c", "s/" + ctx_.host_rel() + "/passwd");
  EXPECT_NE(unpack(t), "");
}

TEST_F(AddUnpackBreakoutTest, ExistingSymlinkInTheImageIsNotWrittenThrough) {
  // The image already has a link out of the destination (as a hostile base image could).
  fs::create_symlink(ctx_.host, root() / "link");
  fs::create_symlink(ctx_.host / "passwd", root() / "file-link");
  before_box_ = outside_snapshot(ctx_.box);
  TarBuilder t;
  t.file("link/passwd", "through an image symlink");
  EXPECT_NE(unpack(t), "");
  // A file named like the link replaces the link; it is never opened through it.
  TarBuilder t2;
  t2.file("file-link", "replaced").dir("link");
  EXPECT_EQ(unpack(t2), "");
  EXPECT_FALSE(fs::is_symlink(root() / "file-link"));
  EXPECT_TRUE(fs::is_directory(fs::symlink_status(root() / "link")));
}

TEST_F(AddUnpackBreakoutTest, SymlinkThenSameNameFileReplacesTheLink) {
  TarBuilder t;
  t.symlink("x", ctx_.host.string() + "/passwd").file("x", "mine", 0777);
  EXPECT_EQ(unpack(t), "");
  EXPECT_FALSE(fs::is_symlink(root() / "x"));
}

TEST_F(AddUnpackBreakoutTest, RootEntryThroughDotDotIsRefused) {
  TarBuilder t;
  t.dir("..", 0777);
  EXPECT_NE(unpack(t), "");
}

}  // namespace
}  // namespace berth::test
