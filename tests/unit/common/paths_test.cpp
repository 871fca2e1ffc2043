// Paths::ensure makes the state directories and marks them as directory-hierarchy tops for
// ext4's Orlov allocator (common/paths.cpp), where the filesystem has the flag.
#include "common/paths.h"

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>

namespace berth {
namespace {

namespace fs = std::filesystem;

int dir_flags(const fs::path& p) {
  int fd = ::open(p.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  int flags = -1;
  if (fd >= 0 && ::ioctl(fd, FS_IOC_GETFLAGS, &flags) < 0) flags = -1;
  if (fd >= 0) ::close(fd);
  return flags;
}

TEST(Paths, EnsureMakesBothRootsMarkedAsTopDirectories) {
  char tmpl[] = "/tmp/berth-paths-XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl), nullptr);
  const fs::path base = tmpl;
  Paths p;
  p.root = base / "root";
  p.runroot = base / "run";
  p.ensure();
  EXPECT_TRUE(fs::is_directory(p.root));
  EXPECT_TRUE(fs::is_directory(p.locks()));
  EXPECT_EQ(fs::status(p.root).permissions() & fs::perms::all, fs::perms::owner_all);
  if (dir_flags(base) < 0) {
    fs::remove_all(base);
    GTEST_SKIP() << base << ": no inode flags on this filesystem";
  }
  EXPECT_TRUE(dir_flags(p.root) & FS_TOPDIR_FL);
  EXPECT_TRUE(dir_flags(p.runroot) & FS_TOPDIR_FL);
  fs::remove_all(base);
}

}  // namespace
}  // namespace berth
