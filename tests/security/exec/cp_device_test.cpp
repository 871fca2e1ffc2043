// `berth cp` against device nodes, fifos and entries a container swaps or plants while cp runs:
// a copy into the container never writes through a node (it replaces it, as Docker's tar
// extraction does) and never blocks on a fifo; a copy out of it never reads a device, even
// when the container swaps a regular file and a block node at the copied name; `cp -` never
// chmods through a symlink planted at a node it just made. The device is a loop device over a
// small temp file holding a marker, made and detached here (skipped without loop devices); the
// racing is done by berth-probe (swap, plant) inside the container.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <optional>

#include "tests/integration/container/container_helpers.h"
#include "tests/security/runtime/runtime_helpers.h"

namespace berth::test {
namespace {

namespace fs = std::filesystem;

constexpr char kMarker[] = "BERTHDEV";

// A loop device over `file`, filled with kMarker; detached on destruction.
class LoopDevice {
 public:
  explicit LoopDevice(const fs::path& file) {
    {
      std::ofstream out(file, std::ios::binary);
      for (int i = 0; i < 64 * 1024 / 8; ++i) out << kMarker;
    }
    auto r = run_command({"/usr/sbin/losetup", "--find", "--show", file.string()});
    if (r.exit_code != 0) return;
    dev_ = trim(r.out);
    struct stat st {};
    if (::stat(dev_.c_str(), &st) == 0) rdev_ = st.st_rdev;
  }
  ~LoopDevice() {
    if (!dev_.empty()) run_command({"/usr/sbin/losetup", "-d", dev_});
  }
  LoopDevice(const LoopDevice&) = delete;
  LoopDevice& operator=(const LoopDevice&) = delete;

  bool ok() const { return !dev_.empty() && rdev_ != 0; }
  const std::string& path() const { return dev_; }
  // "MAJOR MINOR", for mknod.
  std::string numbers() const {
    return std::to_string(major(rdev_)) + " " + std::to_string(minor(rdev_));
  }
  // What the device holds now (through the host's page cache, which a write through a node
  // would have changed).
  std::string contents() const { return read_file_text(dev_); }

 private:
  std::string dev_;
  dev_t rdev_ = 0;
};

class CpDeviceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    BERTH_NEED_ROOT();
    import_probe_image(st_);
    if (HasFatalFailure()) return;
    auto r = st_.berth({"run", "-d", "--name", "box", "probe", "sleep", "1000"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    payload_ = st_.dir() / "payload.txt";
    std::ofstream(payload_) << "payload\n";
  }
  // The loop device, for the tests that need one; skips where the host has no loop devices
  // (a container without /dev/loop-control).
  void make_loop() {
    loop_.emplace(st_.dir() / "loop.img");
    if (!loop_->ok()) GTEST_SKIP() << "no loop device (losetup --find failed)";
    original_ = loop_->contents();
    ASSERT_EQ(original_.size(), 64u * 1024);
  }
  RunResult sh(const std::string& script) { return st_.berth({"exec", "box", "sh", "-c", script}); }
  // Copies payload_ to box:target; cp must finish quickly, succeed and leave a regular file.
  void expect_copied_over(const std::string& target) {
    auto r = st_.berth({"cp", payload_.string(), "box:" + target}, "", 20);
    EXPECT_NE(r.exit_code, -1) << "cp to " << target << " hung";
    EXPECT_EQ(r.exit_code, 0) << r.err;
    const fs::path back = st_.dir() / "back.txt";
    fs::remove(back);
    r = st_.berth({"cp", "box:" + target, back.string()}, "", 20);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(fs::is_regular_file(fs::symlink_status(back))) << target;
    EXPECT_EQ(read_file_text(back), "payload\n") << target;
  }
  // Starts `berth-probe swap A B` in the container, in the background.
  void start_swapper(const std::string& a, const std::string& b) {
    auto r = st_.berth({"exec", "-d", "box", "berth-probe", "swap", a, b});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  // Makes /race/f (a regular file) and /race/n (a block node of the loop device) in the
  // container and swaps them for ever, in the background.
  void start_device_swap() {
    make_loop();
    if (IsSkipped() || HasFatalFailure()) return;
    auto r = sh("mkdir /race && echo regular-file-content > /race/f && mknod /race/n b " +
                loop_->numbers());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    start_swapper("/race/f", "/race/n");
  }
  struct RaceResult {
    int copies = 0, files = 0, leaks = 0;
  };
  // Runs copy() (which returns what one copy of /race/f produced) up to 400 times or for 60 s,
  // stopping at the first copy that holds the device's marker.
  RaceResult race(const std::function<std::string()>& copy) {
    RaceResult r;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (r.copies < 400 && r.leaks == 0 && std::chrono::steady_clock::now() < deadline) {
      const std::string got = copy();
      ++r.copies;
      if (got.find("regular-file-content") != std::string::npos) ++r.files;
      if (got.find(kMarker) != std::string::npos) ++r.leaks;
    }
    return r;
  }

  TempState st_;
  std::optional<LoopDevice> loop_;
  std::string original_;
  fs::path payload_;
};

TEST_F(CpDeviceTest, DeviceNodeAtTheTargetIsReplacedNotWrittenThrough) {
  make_loop();
  if (IsSkipped() || HasFatalFailure()) return;
  ASSERT_EQ(sh("mknod /tmp/config.txt b " + loop_->numbers()).exit_code, 0);
  expect_copied_over("/tmp/config.txt");
  EXPECT_TRUE(loop_->contents() == original_) << "cp wrote through the container's device node";
  // The same into a stopped container (its overlay mounted by cp itself).
  ASSERT_EQ(sh("mknod /tmp/stopped.txt b " + loop_->numbers()).exit_code, 0);
  ASSERT_EQ(st_.berth({"stop", "-t", "0", "box"}).exit_code, 0);
  expect_copied_over("/tmp/stopped.txt");
  EXPECT_TRUE(loop_->contents() == original_) << "cp wrote through the container's device node";
}

TEST_F(CpDeviceTest, FifoAtTheTargetIsReplacedWithoutBlocking) {
  ASSERT_EQ(sh("mkfifo /tmp/pipe.txt /tmp/stopped.txt").exit_code, 0);
  expect_copied_over("/tmp/pipe.txt");
  ASSERT_EQ(st_.berth({"stop", "-t", "0", "box"}).exit_code, 0);
  expect_copied_over("/tmp/stopped.txt");
}

// A container that swaps a regular file and a block node at one name while `cp` copies it
// out: a copy holds the file, or nothing, but never the device.
TEST_F(CpDeviceTest, SwapRaceNeverReadsADeviceToTheHost) {
  start_device_swap();
  if (IsSkipped() || HasFatalFailure()) return;
  const RaceResult r = race([&] {
    const fs::path out = st_.dir() / "out.txt";
    fs::remove(out);
    auto cp = st_.berth({"cp", "box:/race/f", out.string()}, "", 20);
    EXPECT_NE(cp.exit_code, -1) << "cp hung";
    return read_file_text(out);
  });
  EXPECT_EQ(r.leaks, 0) << "a copy held the host device's contents (after " << r.copies
                        << " copies)";
  EXPECT_GT(r.files, 0) << "no copy got the regular file in " << r.copies << " copies";
}

TEST_F(CpDeviceTest, SwapRaceNeverReadsADeviceIntoATar) {
  start_device_swap();
  if (IsSkipped() || HasFatalFailure()) return;
  const RaceResult r = race([&] {
    auto cp = st_.berth({"cp", "box:/race/f", "-"}, "", 20);
    EXPECT_NE(cp.exit_code, -1) << "cp hung";
    return cp.out;
  });
  EXPECT_EQ(r.leaks, 0) << "a tar held the host device's contents (after " << r.copies
                        << " copies)";
  EXPECT_GT(r.files, 0) << "no tar held the regular file in " << r.copies << " copies";
}

// The same with a fifo: cp never blocks on it.
TEST_F(CpDeviceTest, SwapRaceWithAFifoNeverHangs) {
  ASSERT_EQ(sh("mkdir /race && echo regular-file-content > /race/f && mkfifo /race/p").exit_code,
            0);
  start_swapper("/race/f", "/race/p");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  for (int copies = 0; copies < 100 && std::chrono::steady_clock::now() < deadline; ++copies) {
    const fs::path out = st_.dir() / "out.txt";
    fs::remove(out);
    auto r = st_.berth({"cp", "box:/race/f", out.string()}, "", 10);
    ASSERT_NE(r.exit_code, -1) << "cp to the host hung on a fifo after " << copies << " copies";
    r = st_.berth({"cp", "box:/race/f", "-"}, "", 10);
    ASSERT_NE(r.exit_code, -1) << "cp to a tar hung on a fifo after " << copies << " copies";
  }
}

// `cp - CONTAINER:DIR` with a fifo in the tar, while the container keeps planting a symlink to
// a host file at the fifo's name: setting the new node's mode never follows the link (berth
// resolves an absolute link target against the host's root).
TEST_F(CpDeviceTest, TarExtractionNeverChmodsThroughAPlantedSymlink) {
  const fs::path secret = st_.dir() / "host-secret";
  { std::ofstream(secret) << "secret\n"; }
  fs::permissions(secret, fs::perms::owner_read | fs::perms::owner_write);
  const fs::path src = st_.dir() / "tar-src";
  fs::create_directories(src);
  ASSERT_EQ(run_command({"/usr/bin/mkfifo", "-m", "0666", (src / "node").string()}).exit_code, 0);
  const fs::path tar = st_.dir() / "fifo.tar";
  ASSERT_EQ(run_command({"/bin/tar", "-C", src.string(), "-cf", tar.string(), "node"}).exit_code,
            0);
  const std::string stream = read_file_text(tar);
  ASSERT_EQ(sh("mkdir /data").exit_code, 0);
  auto r = st_.berth({"exec", "-d", "box", "berth-probe", "plant", "/data/node", secret.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  int copies = 0;
  bool changed = false;
  for (; copies < 400 && !changed && std::chrono::steady_clock::now() < deadline; ++copies) {
    r = st_.berth({"cp", "-", "box:/data"}, stream, 20);
    ASSERT_NE(r.exit_code, -1) << "cp - hung";
    changed = (fs::status(secret).permissions() & fs::perms::all) !=
              (fs::perms::owner_read | fs::perms::owner_write);
  }
  EXPECT_FALSE(changed) << "cp - changed a host file's mode through a container symlink (after "
                        << copies << " copies)";
}

}  // namespace
}  // namespace berth::test
