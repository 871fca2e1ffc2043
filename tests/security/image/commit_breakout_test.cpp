// `berth commit` of a container that plants hostile entries in its own filesystem: symlinks
// to host paths (absolute, climbing, to /), device nodes, hardlinks to image files, names
// made of dots, and files named like whiteouts. The layer must hold only what the container
// wrote (never a host file's bytes), and the extractor must read it back into a working image.
#include <fcntl.h>
#include <sys/stat.h>

#include <fstream>

#include "common/random_id.h"
#include "engine/image/archive_lib.h"
#include "engine/image/layer_stream.h"
#include "engine/image/store.h"
#include "sys/unique_fd.h"
#include "tests/support/harness.h"

namespace berth::test {
namespace {

namespace fs = std::filesystem;
namespace img = berth::engine::image;

struct Entry {
  unsigned type = 0;
  std::string link, hardlink, data;
};

// The uncompressed bytes of the gzip'd blob open at fd.
std::string uncompressed(int fd) {
  const auto& la = img::archive_lib();
  struct archive* a = la.archive_read_new();
  la.archive_read_support_filter_gzip(a);
  la.archive_read_support_format_raw(a);
  std::string out;
  struct archive_entry* e = nullptr;
  if (la.archive_read_open_fd(a, fd, 65536) == ARCHIVE_OK &&
      la.archive_read_next_header(a, &e) == ARCHIVE_OK) {
    char buf[65536];
    la_ssize_t n;
    while ((n = la.archive_read_data(a, buf, sizeof buf)) > 0)
      out.append(buf, static_cast<size_t>(n));
  }
  la.archive_read_free(a);
  return out;
}

class CommitBreakoutTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!is_root()) GTEST_SKIP() << "needs root";
    st.import_busybox();
  }

  // The entries of the top layer of image ref, read from its stored blob.
  std::map<std::string, Entry> top_layer(const std::string& ref) {
    Paths paths;
    paths.root = st.root();
    paths.runroot = st.runroot();
    img::Store store(paths);
    img::Image image = store.resolve(ref);
    std::string digest = image.manifest["layers"].back()["digest"];
    sys::UniqueFd fd(::open(store.blob_path(digest).c_str(), O_RDONLY | O_CLOEXEC));
    const auto& la = img::archive_lib();
    img::LayerStream stream(fd.get());
    std::map<std::string, Entry> out;
    struct archive_entry* e = nullptr;
    while (la.archive_read_next_header(stream.tar(), &e) == ARCHIVE_OK) {
      Entry x;
      x.type = la.archive_entry_filetype(e);
      if (const char* l = la.archive_entry_symlink(e)) x.link = l;
      if (const char* h = la.archive_entry_hardlink(e)) x.hardlink = h;
      char buf[4096];
      la_ssize_t n;
      while ((n = la.archive_read_data(stream.tar(), buf, sizeof buf)) > 0)
        x.data.append(buf, static_cast<size_t>(n));
      out[la.archive_entry_pathname(e)] = x;
    }
    stream.finish();
    // The whole uncompressed tar, headers included (a symlink target lives in a header).
    sys::UniqueFd again(::open(store.blob_path(digest).c_str(), O_RDONLY | O_CLOEXEC));
    raw_tar_ = uncompressed(again.get());
    return out;
  }

  TempState st;
  std::string raw_tar_;
};

TEST_F(CommitBreakoutTest, PlantedLinksAndNodesCarryNoHostData) {
  const std::string secret = "HOST-SECRET-" + random_hex(8);
  const fs::path host_file = st.dir() / "host-secret";
  std::ofstream(host_file) << secret;
  const std::string rel = "../../../../../../../../../../.." + host_file.string();
  auto run = st.berth({"run", "--name", "c1", "busybox", "sh", "-c",
                       "ln -s " + host_file.string() + " /abs && ln -s " + rel +
                           " /rel && ln -s / /rootlink && mknod /blk b 8 0 && mknod /chr c 1 3 "
                           "&& mkfifo /fifo && mkdir /d && ln -s /etc/passwd /d/pw && "
                           "ln /bin/busybox /bb2"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto c = st.berth({"commit", "c1", "planted"});
  ASSERT_EQ(c.exit_code, 0) << c.err;
  auto layer = top_layer("planted");
  for (const auto& [name, e] : layer) {
    EXPECT_EQ(e.data.find(secret), std::string::npos) << name;
    EXPECT_EQ(e.data.find("HOST-SECRET"), std::string::npos) << name;
  }
  ASSERT_FALSE(raw_tar_.empty());
  EXPECT_EQ(raw_tar_.find(secret), std::string::npos);
  ASSERT_TRUE(layer.count("abs"));
  EXPECT_EQ(layer["abs"].type, static_cast<unsigned>(AE_IFLNK));
  EXPECT_EQ(layer["abs"].link, host_file.string());
  EXPECT_EQ(layer["rel"].link, rel);
  EXPECT_EQ(layer["rootlink"].link, "/");
  EXPECT_EQ(layer["blk"].type, static_cast<unsigned>(AE_IFBLK));
  EXPECT_TRUE(layer["blk"].data.empty());
  EXPECT_EQ(layer["chr"].type, static_cast<unsigned>(AE_IFCHR));
  EXPECT_EQ(layer["fifo"].type, static_cast<unsigned>(AE_IFIFO));
  // The image file linked to is copied up: both names are in the layer, one a hardlink.
  ASSERT_TRUE(layer.count("bb2") && layer.count("bin/busybox"));
  EXPECT_EQ(layer["bb2"].hardlink.empty() ? layer["bin/busybox"].hardlink : layer["bb2"].hardlink,
            layer["bb2"].hardlink.empty() ? "bb2" : "bin/busybox");

  auto check = st.berth({"run", "--rm", "planted", "sh", "-c",
                         "readlink /abs; cat /abs 2>/dev/null || echo unreadable; "
                         "test -b /blk && echo blk; test -p /fifo && echo fifo; "
                         "cmp /bb2 /bin/busybox && echo linked; stat -c %h /bb2"});
  ASSERT_EQ(check.exit_code, 0) << check.err;
  EXPECT_EQ(check.out, host_file.string() + "\nunreadable\nblk\nfifo\nlinked\n2\n");
}

// Without --pause the container keeps swapping one name between a file, a symlink to a host
// file and a device node while the layer is written: each commit either sees one of them, read
// through the fd its header came from, or fails; no host bytes ever reach a layer.
TEST_F(CommitBreakoutTest, SwapRaceWithoutPauseNeverReadsTheHost) {
  const std::string secret = "HOST-SECRET-" + random_hex(8);
  const fs::path host_file = st.dir() / "host-secret";
  std::ofstream(host_file) << secret;
  auto run = st.berth({"run", "-d", "--name", "racer", "busybox", "sh", "-c",
                       "while :; do echo mine > /s; ln -sf " + host_file.string() +
                           " /s; rm -f /s; mknod /s b 8 0; rm -f /s; done"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  int committed = 0;
  for (int i = 0; i < 8; ++i) {
    auto c = st.berth({"commit", "--pause=false", "racer", "race:" + std::to_string(i)});
    if (c.exit_code != 0) continue;
    ++committed;
    auto layer = top_layer("race:" + std::to_string(i));
    for (const auto& [name, e] : layer) EXPECT_EQ(e.data.find("HOST-SECRET"), std::string::npos);
    EXPECT_EQ(raw_tar_.find(secret.substr(12)), std::string::npos);
  }
  EXPECT_GT(committed, 0);
}

TEST_F(CommitBreakoutTest, NamesMadeOfDotsRoundTrip) {
  auto run = st.berth({"run", "--name", "c1", "busybox", "sh", "-c",
                       "echo 3 > /... && echo a > /..a && echo b > /a.. && mkdir /..d && "
                       "echo x > /..d/x"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  ASSERT_EQ(st.berth({"commit", "c1", "dots"}).exit_code, 0);
  auto check = st.berth({"run", "--rm", "dots", "sh", "-c", "cat /... /..a /a.. /..d/x"});
  ASSERT_EQ(check.exit_code, 0) << check.err;
  EXPECT_EQ(check.out, "3\na\nb\nx\n");
}

TEST_F(CommitBreakoutTest, FilesNamedLikeWhiteoutsHideNothing) {
  auto run = st.berth({"run", "--name", "c1", "busybox", "sh", "-c",
                       "touch /bin/.wh.sh /etc/.wh..wh..opq /.wh..wh..opq"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  ASSERT_EQ(st.berth({"commit", "c1", "forged"}).exit_code, 0);
  auto check = st.berth({"run", "--rm", "forged", "sh", "-c",
                         "test -e /bin/sh && head -n 1 "
                         "/etc/passwd"});
  ASSERT_EQ(check.exit_code, 0) << check.err;
  EXPECT_EQ(check.out, "root:x:0:0:root:/root:/bin/sh\n");
}

}  // namespace
}  // namespace berth::test
