// Paths::ensure makes the state directories and marks them as directory-hierarchy tops for
// ext4's Orlov allocator (common/paths.cpp) where the filesystem has the flag; elsewhere (tmpfs,
// the default /tmp of Debian 13 and Fedora; btrfs; xfs) the mark is skipped and nothing fails.
#include "common/paths.h"

#include <fcntl.h>
#include <linux/fs.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include <gtest/gtest.h>

namespace berth {
namespace {

namespace fs = std::filesystem;

constexpr long kTmpfsMagic = 0x01021994;

int dir_flags(const fs::path& p) {
  int fd = ::open(p.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  int flags = -1;
  if (fd >= 0 && ::ioctl(fd, FS_IOC_GETFLAGS, &flags) < 0) flags = -1;
  if (fd >= 0) ::close(fd);
  return flags;
}

// Whether directories in `dir` can carry FS_TOPDIR_FL (ext2/3/4 can; tmpfs has inode flags,
// but not this one).
bool takes_topdir_flag(const fs::path& dir) {
  const fs::path probe = dir / "probe";
  fs::create_directory(probe);
  int fd = ::open(probe.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  int flags = 0;
  bool ok = fd >= 0 && ::ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0;
  flags |= FS_TOPDIR_FL;
  ok = ok && ::ioctl(fd, FS_IOC_SETFLAGS, &flags) == 0;
  if (fd >= 0) ::close(fd);
  ok = ok && (dir_flags(probe) & FS_TOPDIR_FL);
  fs::remove(probe);
  return ok;
}

fs::path make_temp(const fs::path& parent) {
  std::string tmpl = (parent / "berth-paths-XXXXXX").string();
  if (!::mkdtemp(tmpl.data())) return {};
  return tmpl;
}

void expect_roots_made(const fs::path& base) {
  Paths p;
  p.root = base / "root";
  p.runroot = base / "run";
  ASSERT_NO_THROW(p.ensure());
  EXPECT_TRUE(fs::is_directory(p.root));
  EXPECT_TRUE(fs::is_directory(p.runroot));
  EXPECT_TRUE(fs::is_directory(p.locks()));
  EXPECT_EQ(fs::status(p.root).permissions() & fs::perms::all, fs::perms::owner_all);
  if (takes_topdir_flag(base)) {
    EXPECT_TRUE(dir_flags(p.root) & FS_TOPDIR_FL);
    EXPECT_TRUE(dir_flags(p.runroot) & FS_TOPDIR_FL);
  }
}

TEST(Paths, EnsureMakesBothRootsAndMarksThemWhereTheFilesystemCan) {
  const fs::path base = make_temp(fs::temp_directory_path());
  ASSERT_FALSE(base.empty());
  expect_roots_made(base);
  fs::remove_all(base);
}

// tmpfs answers FS_IOC_GETFLAGS but refuses FS_TOPDIR_FL: ensure() goes on without the mark.
TEST(Paths, EnsureWorksOnTmpfs) {
  struct statfs sfs {};
  if (::statfs("/dev/shm", &sfs) != 0 || sfs.f_type != kTmpfsMagic || ::access("/dev/shm", W_OK))
    GTEST_SKIP() << "/dev/shm is not a writable tmpfs here";
  const fs::path base = make_temp("/dev/shm");
  ASSERT_FALSE(base.empty());
  EXPECT_FALSE(takes_topdir_flag(base));
  expect_roots_made(base);
  fs::remove_all(base);
}

}  // namespace
}  // namespace berth
