// The layer writer (tree_tar.h write_layer_tar, layer_diff.h write_layer_blob) on trees made
// in a temp dir: reproducible bytes, order, clamped times, overlay whiteouts and opaque
// directories, xattrs, hardlinks, and the gzip blob with both digests. Parts that make device
// nodes or trusted.* attributes need root and are skipped without it.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <fstream>

#include "common/atomic_file.h"
#include "common/error.h"
#include "engine/image/archive_lib.h"
#include "engine/image/digest.h"
#include "engine/image/layer_diff.h"
#include "engine/image/layer_extract.h"
#include "engine/image/tree_tar.h"
#include "sys/unique_fd.h"
#include "tests/support/harness.h"

namespace berth::engine::image {
namespace {

namespace fs = std::filesystem;

struct TarEntry {
  std::string name;
  unsigned type = 0;
  unsigned perm = 0;
  int64_t uid = -1, gid = -1;
  int64_t mtime = 0;
  long mtime_nsec = 0;
  int64_t size = 0;
  std::string hardlink, symlink, data;
  std::map<std::string, std::string> xattrs;
};

// Reads a tar (any compression) back with libarchive.
std::vector<TarEntry> read_tar(const fs::path& p) {
  const auto& la = archive_lib();
  sys::UniqueFd fd(::open(p.c_str(), O_RDONLY | O_CLOEXEC));
  LayerStream stream(fd.get());
  std::vector<TarEntry> out;
  struct archive_entry* e = nullptr;
  while (la.archive_read_next_header(stream.tar(), &e) == ARCHIVE_OK) {
    TarEntry t;
    t.name = la.archive_entry_pathname(e);
    t.type = la.archive_entry_filetype(e);
    t.perm = la.archive_entry_perm(e);
    t.uid = la.archive_entry_uid(e);
    t.gid = la.archive_entry_gid(e);
    t.mtime = la.archive_entry_mtime(e);
    t.mtime_nsec = la.archive_entry_mtime_nsec(e);
    t.size = la.archive_entry_size(e);
    if (const char* h = la.archive_entry_hardlink(e)) t.hardlink = h;
    if (const char* s = la.archive_entry_symlink(e)) t.symlink = s;
    const char* name = nullptr;
    const void* value = nullptr;
    size_t size = 0;
    la.archive_entry_xattr_reset(e);
    while (la.archive_entry_xattr_next(e, &name, &value, &size) == ARCHIVE_OK)
      t.xattrs[name] = std::string(static_cast<const char*>(value), size);
    char buf[4096];
    la_ssize_t n;
    while ((n = la.archive_read_data(stream.tar(), buf, sizeof buf)) > 0)
      t.data.append(buf, static_cast<size_t>(n));
    out.push_back(std::move(t));
  }
  return out;
}

std::vector<std::string> names(const std::vector<TarEntry>& es) {
  std::vector<std::string> out;
  for (const auto& e : es) out.push_back(e.name);
  return out;
}

void set_mtime(const fs::path& p, int64_t sec, long nsec) {
  timespec ts[2] = {{sec, nsec}, {sec, nsec}};
  ASSERT_EQ(::utimensat(AT_FDCWD, p.c_str(), ts, AT_SYMLINK_NOFOLLOW), 0) << p;
}

class LayerTarTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = test::make_temp_dir("berth-unit-"); }
  void TearDown() override { fs::remove_all(dir_); }

  // The same small tree, times fixed: a, a/f, a/h (hardlink of a/f), b, l, p.
  fs::path make_tree(const std::string& name) {
    fs::path t = dir_ / name;
    fs::create_directories(t / "a");
    write_file_atomic(t / "a/f", "hello", 0644);
    write_file_atomic(t / "b", "run me", 0755);
    fs::create_hard_link(t / "a/f", t / "a/h");
    fs::create_symlink("../../etc/passwd", t / "l");
    EXPECT_EQ(::mkfifo((t / "p").c_str(), 0640), 0);
    EXPECT_EQ(::setxattr((t / "b").c_str(), "user.k", "v", 1, 0), 0) << strerror(errno);
    for (const char* p : {"a/f", "b", "l", "p", "a", ""}) set_mtime(t / p, 1600000000, 123456789);
    return t;
  }

  std::string tar_of(const fs::path& tree, LayerTarOptions opts = {}) {
    sys::UniqueFd fd(::open(tree.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    std::string out;
    write_layer_tar(fd.get(), opts,
                    [&](const void* d, size_t n) { out.append(static_cast<const char*>(d), n); });
    return out;
  }

  std::vector<TarEntry> entries_of(const fs::path& tree, LayerTarOptions opts = {}) {
    std::string tar = tar_of(tree, opts);
    write_file_atomic(dir_ / "out.tar", tar);
    return read_tar(dir_ / "out.tar");
  }

  fs::path dir_;
};

TEST_F(LayerTarTest, TheSameTreeGivesTheSameBytes) {
  fs::path one = make_tree("one");
  fs::path two = make_tree("two");  // other inodes, ctimes and atimes
  std::string a = tar_of(one);
  std::string b = tar_of(two);
  ASSERT_FALSE(a.empty());
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.find("atime"), std::string::npos);
  EXPECT_EQ(a.find("ctime"), std::string::npos);
  // Ends at the two zero blocks: not padded to libarchive's 10 KiB records.
  EXPECT_EQ(a.size() % 512, 0u);
  EXPECT_EQ(a.substr(a.size() - 1024), std::string(1024, '\0'));
  EXPECT_NE(a.substr(a.size() - 1536, 512), std::string(512, '\0'));
}

TEST_F(LayerTarTest, EntriesAreSortedWithNumericOwnersHardlinksAndNoRoot) {
  auto es = entries_of(make_tree("t"));
  EXPECT_EQ(names(es), (std::vector<std::string>{"a/", "a/f", "a/h", "b", "l", "p"}));
  ASSERT_EQ(es.size(), 6u);
  EXPECT_EQ(es[1].data, "hello");
  EXPECT_EQ(es[2].hardlink, "a/f");
  EXPECT_EQ(es[2].size, 0);
  EXPECT_EQ(es[3].perm, 0755u);
  EXPECT_EQ(es[3].xattrs["user.k"], "v");
  EXPECT_EQ(es[4].symlink, "../../etc/passwd");
  EXPECT_EQ(es[5].type, static_cast<unsigned>(AE_IFIFO));
  EXPECT_EQ(es[0].uid, ::geteuid());
  EXPECT_EQ(es[1].mtime, 1600000000);
  // ustar uname/gname fields are empty.
  std::string tar = tar_of(dir_ / "t");
  EXPECT_EQ(tar.substr(265, 64), std::string(64, '\0'));
}

TEST_F(LayerTarTest, MtimesLaterThanTheEpochAreClamped) {
  fs::path t = dir_ / "t";
  fs::create_directories(t);
  write_file_atomic(t / "old", "o");
  write_file_atomic(t / "new", "n");
  set_mtime(t / "old", 500000000, 0);
  set_mtime(t / "new", 1700000000, 999);
  auto es = entries_of(t, {.clamp_mtime = 1000000000});
  ASSERT_EQ(names(es), (std::vector<std::string>{"new", "old"}));
  EXPECT_EQ(es[0].mtime, 1000000000);
  EXPECT_EQ(es[0].mtime_nsec, 0);
  EXPECT_EQ(es[1].mtime, 500000000);
}

TEST_F(LayerTarTest, FilesNamedLikeWhiteoutsAreNotWritten) {
  fs::path t = dir_ / "t";
  fs::create_directories(t / "d");
  write_file_atomic(t / ".wh.passwd", "");
  write_file_atomic(t / "d/.wh..wh..opq", "");
  write_file_atomic(t / "keep", "k");
  EXPECT_EQ(names(entries_of(t)), (std::vector<std::string>{"d/", "keep"}));
}

TEST_F(LayerTarTest, EmptyMountPlaceholdersAreNotWritten) {
  fs::path t = dir_ / "t";
  fs::create_directories(t / "etc");
  write_file_atomic(t / "etc/hosts", "");
  write_file_atomic(t / "etc/hostname", "written");
  write_file_atomic(t / "etc/motd", "");
  auto es = entries_of(t, {.placeholders = {"etc/hosts", "etc/hostname"}});
  EXPECT_EQ(names(es), (std::vector<std::string>{"etc/", "etc/hostname", "etc/motd"}));
}

TEST_F(LayerTarTest, OverlayWhiteoutsOpaqueDirsAndXattrs) {
  if (!test::is_root()) GTEST_SKIP() << "needs root (mknod, trusted.* xattrs)";
  fs::path t = dir_ / "t";
  fs::create_directories(t / "d");
  write_file_atomic(t / "d/n", "new");
  ASSERT_EQ(::setxattr((t / "d").c_str(), "trusted.overlay.opaque", "y", 1, 0), 0);
  // overlayfs shares one whiteout inode between all its whiteouts: never a hardlink entry.
  ASSERT_EQ(::mknod((t / "gone").c_str(), S_IFCHR | 0, ::makedev(0, 0)), 0);
  ASSERT_EQ(::link((t / "gone").c_str(), (t / "gone2").c_str()), 0);
  write_file_atomic(t / "w", "");
  ASSERT_EQ(::setxattr((t / "w").c_str(), "trusted.overlay.whiteout", "", 0, 0), 0);
  // A device node that is not a whiteout stays a device node.
  ASSERT_EQ(::mknod((t / "sda").c_str(), S_IFBLK | 0600, ::makedev(8, 0)), 0);
  write_file_atomic(t / "ping", "elf", 0755);
  // VFS_CAP_REVISION_2, effective; permitted = CAP_NET_BIND_SERVICE.
  const unsigned char cap[20] = {0x01, 0, 0, 0x02, 0, 0x04, 0, 0, 0, 0,
                                 0,    0, 0, 0,    0, 0,    0, 0, 0, 0};
  ASSERT_EQ(::setxattr((t / "ping").c_str(), "security.capability", cap, sizeof cap, 0), 0);
  ASSERT_EQ(::setxattr((t / "ping").c_str(), "trusted.overlay.origin", "x", 1, 0), 0);
  auto es = entries_of(t);
  EXPECT_EQ(names(es), (std::vector<std::string>{"d/", "d/.wh..wh..opq", "d/n", ".wh.gone",
                                                 ".wh.gone2", "ping", "sda", ".wh.w"}));
  ASSERT_EQ(es.size(), 8u);
  EXPECT_EQ(es[3].type, static_cast<unsigned>(AE_IFREG));
  EXPECT_TRUE(es[4].hardlink.empty());
  EXPECT_EQ(es[0].xattrs.count("trusted.overlay.opaque"), 0u);
  EXPECT_EQ(es[5].xattrs.count("trusted.overlay.origin"), 0u);
  EXPECT_EQ(es[5].xattrs["security.capability"],
            std::string(reinterpret_cast<const char*>(cap), 20));
  EXPECT_EQ(es[6].type, static_cast<unsigned>(AE_IFBLK));
  EXPECT_EQ(es[6].size, 0);

  // The extractor reads it back into overlay whiteouts.
  fs::create_directories(dir_ / "x");
  sys::UniqueFd fd(::open((dir_ / "out.tar").c_str(), O_RDONLY | O_CLOEXEC));
  extract_layer(fd.get(), dir_ / "x");
  struct stat st {};
  ASSERT_EQ(::lstat((dir_ / "x/gone").c_str(), &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode) && st.st_rdev == 0);
  char v[4] = {};
  EXPECT_EQ(::getxattr((dir_ / "x/d").c_str(), "trusted.overlay.opaque", v, sizeof v), 1);
  EXPECT_EQ(::getxattr((dir_ / "x/ping").c_str(), "security.capability", nullptr, 0), 20);
}

TEST_F(LayerTarTest, OverlayRedirectsAreRefused) {
  if (!test::is_root()) GTEST_SKIP() << "needs root (trusted.* xattrs)";
  fs::path t = dir_ / "t";
  fs::create_directories(t / "moved");
  ASSERT_EQ(::setxattr((t / "moved").c_str(), "trusted.overlay.redirect", "/old", 4, 0), 0);
  try {
    tar_of(t);
    FAIL() << "accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("moved"), std::string::npos) << e.what();
  }
}

TEST_F(LayerTarTest, BlobIsDeterministicGzipAndBothDigestsComeFromOnePass) {
  fs::path t = make_tree("t");
  fs::create_directories(dir_ / "blobs");
  sys::UniqueFd fd(::open(t.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  std::string digests[2], diff_ids[2];
  for (int i = 0; i < 2; ++i) {
    BlobWriter blob(dir_ / "blobs");
    diff_ids[i] = write_layer_blob(fd.get(), {}, blob);
    digests[i] = blob.finish();
    std::string gz = read_file(blob.path());
    ASSERT_GT(gz.size(), 10u);
    EXPECT_EQ(static_cast<unsigned char>(gz[0]), 0x1f);
    EXPECT_EQ(static_cast<unsigned char>(gz[1]), 0x8b);
    EXPECT_EQ(gz[3], 0) << "no name in the gzip header";
    EXPECT_EQ(gz.substr(4, 4), std::string(4, '\0')) << "no time in the gzip header";
    EXPECT_EQ(sha256_digest(gz), digests[i]);
    EXPECT_EQ(blob.size(), static_cast<int64_t>(gz.size()));
    sys::UniqueFd r = blob.open_read();
    EXPECT_EQ(layer_diff_id(r.get()), diff_ids[i]);
  }
  EXPECT_EQ(diff_ids[0], sha256_digest(tar_of(t)));
  EXPECT_EQ(digests[0], digests[1]);
}

TEST_F(LayerTarTest, AnEmptyDiffIsTheWellKnownEmptyLayer) {
  fs::create_directories(dir_ / "empty");
  fs::create_directories(dir_ / "blobs");
  sys::UniqueFd fd(::open((dir_ / "empty").c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  BlobWriter blob(dir_ / "blobs");
  EXPECT_EQ(write_layer_blob(fd.get(), {}, blob),
            "sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef");
}

}  // namespace
}  // namespace berth::engine::image
