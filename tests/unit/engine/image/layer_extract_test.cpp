// The extractor on tarballs made in memory, without root (ownership changes that need root
// are skipped by the extractor when not root): DiffID, sizes, refusals, compression.
#include "engine/image/layer_extract.h"

#include <fcntl.h>
#include <gtest/gtest.h>

#include <fstream>

#include "common/error.h"
#include "engine/image/digest.h"
#include "sys/unique_fd.h"
#include "tests/security/image/tar_builder.h"
#include "tests/support/harness.h"

namespace berth::engine::image {
namespace {

namespace fs = std::filesystem;

class LayerExtractTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = berth::test::make_temp_dir("berth-unit-");
    fs::create_directory(dir_ / "out");
  }
  void TearDown() override { fs::remove_all(dir_); }
  ExtractResult extract(const test::TarBuilder& t) {
    t.write(dir_ / "layer.tar");
    berth::sys::UniqueFd fd(::open((dir_ / "layer.tar").c_str(), O_RDONLY | O_CLOEXEC));
    return extract_layer(fd.get(), dir_ / "out");
  }
  std::string file_digest(const fs::path& p) {
    std::ifstream f(p, std::ios::binary);
    return sha256_digest(std::string(std::istreambuf_iterator<char>(f), {}));
  }
  fs::path dir_;
};

TEST_F(LayerExtractTest, DiffIdIsDigestOfTheTarAndSizeCountsFiles) {
  test::TarBuilder t;
  t.dir("a").file("a/x", "hello").file("b", "12345", 0600).hardlink("a/y", "a/x");
  auto r = extract(t);
  EXPECT_EQ(r.diff_id, file_digest(dir_ / "layer.tar"));
  EXPECT_EQ(r.size, 10);
  EXPECT_EQ(r.compression, Compression::kNone);
  EXPECT_EQ(fs::status(dir_ / "out/b").permissions(),
            fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_EQ(fs::hard_link_count(dir_ / "out/a/x"), 2u);
}

TEST_F(LayerExtractTest, GzipIsDetectedAndDiffIdIsOfTheUncompressedTar) {
  test::TarBuilder t;
  t.file("f", "data");
  t.write(dir_ / "plain.tar");
  std::string plain = file_digest(dir_ / "plain.tar");
  ASSERT_EQ(
      std::system(
          ("gzip -c " + (dir_ / "plain.tar").string() + " > " + (dir_ / "l.tgz").string()).c_str()),
      0);
  berth::sys::UniqueFd fd(::open((dir_ / "l.tgz").c_str(), O_RDONLY | O_CLOEXEC));
  auto r = extract_layer(fd.get(), dir_ / "out");
  EXPECT_EQ(r.compression, Compression::kGzip);
  EXPECT_EQ(r.diff_id, plain);
}

TEST_F(LayerExtractTest, RefusalNamesTheEntry) {
  test::TarBuilder t;
  t.file("ok", "x").symlink("l", "../../etc").file("l/passwd", "x");
  try {
    extract(t);
    FAIL() << "accepted";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(),
                 "layer entry `l/passwd`: path goes through a symlink or non-directory `l`");
  }
}

TEST_F(LayerExtractTest, ClimbingRelativeSymlinkIsStoredAsIs) {
  test::TarBuilder t;
  t.dir("etc").symlink("etc/evil", "../../../../tmp/x").symlink("up", "..");
  extract(t);
  EXPECT_EQ(fs::read_symlink(dir_ / "out/etc/evil").string(), "../../../../tmp/x");
  EXPECT_EQ(fs::read_symlink(dir_ / "out/up").string(), "..");
}

TEST_F(LayerExtractTest, CopyIntoADirectoryStillRefusesClimbingSymlinks) {
  // `cp - CONTAINER:DIR` keeps Docker's rule: a link may not name anything outside DIR.
  test::TarBuilder t;
  t.symlink("l", "../../etc");
  t.write(dir_ / "layer.tar");
  berth::sys::UniqueFd fd(::open((dir_ / "layer.tar").c_str(), O_RDONLY | O_CLOEXEC));
  berth::sys::UniqueFd out(::open((dir_ / "out").c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  try {
    extract_tar_at(fd.get(), out.get());
    FAIL() << "accepted";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "layer entry `l`: symlink to `../../etc` leaves the layer");
  }
}

TEST_F(LayerExtractTest, LaterEntryReplacesDirectoryWithFile) {
  test::TarBuilder t;
  t.dir("d").file("d/x", "1").file("d", "now a file");
  extract(t);
  EXPECT_TRUE(fs::is_regular_file(dir_ / "out/d"));
}

TEST_F(LayerExtractTest, NotATarball) {
  std::ofstream(dir_ / "junk") << std::string(2000, 'j');
  berth::sys::UniqueFd fd(::open((dir_ / "junk").c_str(), O_RDONLY | O_CLOEXEC));
  EXPECT_THROW(extract_layer(fd.get(), dir_ / "out"), Error);
}

TEST_F(LayerExtractTest, MediaTypes) {
  EXPECT_EQ(layer_media_type(Compression::kNone), "application/vnd.oci.image.layer.v1.tar");
  EXPECT_EQ(layer_media_type(Compression::kZstd), "application/vnd.oci.image.layer.v1.tar+zstd");
}

}  // namespace
}  // namespace berth::engine::image
