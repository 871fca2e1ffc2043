// In-root reads from layer directories: upper layers win, whiteouts hide, and a symlink in
// the image can never make berth read a host file.
#include "core/runtime/rootfs_reader.h"
#include "tests/support/harness.h"

#include <gtest/gtest.h>

#include <fstream>

namespace berth::core::runtime {
namespace {

namespace fs = std::filesystem;

class RootfsReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = berth::test::make_temp_dir("berth-rootfs-");
    for (const char* l : {"upper", "lower"}) fs::create_directories(dir_ / l / "etc");
  }
  void TearDown() override { fs::remove_all(dir_); }
  void write(const std::string& rel, const std::string& text) { std::ofstream(dir_ / rel) << text; }
  std::vector<fs::path> layers() { return {dir_ / "upper", dir_ / "lower"}; }
  fs::path dir_;
};

TEST_F(RootfsReaderTest, TopLayerWins) {
  write("lower/etc/passwd", "lower");
  EXPECT_EQ(read_in_layers(layers(), "/etc/passwd"), "lower");
  write("upper/etc/passwd", "upper");
  EXPECT_EQ(read_in_layers(layers(), "/etc/passwd"), "upper");
  EXPECT_EQ(read_in_layers(layers(), "/etc/group"), std::nullopt);
}

TEST_F(RootfsReaderTest, WhiteoutHides) {
  write("lower/etc/group", "lower");
  write("upper/etc/.wh.group", "");
  EXPECT_EQ(read_in_layers(layers(), "/etc/group"), std::nullopt);
}

TEST_F(RootfsReaderTest, AbsoluteSymlinkStaysInTheLayer) {
  write("lower/secret", "inside");
  fs::create_symlink("/secret", dir_ / "lower/etc/passwd");
  EXPECT_EQ(read_in_layers(layers(), "/etc/passwd"), "inside");
  fs::create_symlink("/etc/hostname", dir_ / "lower/etc/group");  // host file: not followed out
  EXPECT_EQ(read_in_layers(layers(), "/etc/group"), std::nullopt);
  fs::create_symlink("../../../../../../etc/hostname", dir_ / "lower/etc/shadow");
  EXPECT_EQ(read_in_layers(layers(), "/etc/shadow"), std::nullopt);
}

TEST_F(RootfsReaderTest, MissingLayerDirIsSkipped) {
  write("lower/etc/passwd", "lower");
  EXPECT_EQ(read_in_layers({dir_ / "nope", dir_ / "lower"}, "/etc/passwd"), "lower");
}

}  // namespace
}  // namespace berth::core::runtime
