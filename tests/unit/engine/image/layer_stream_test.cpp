// LayerStream's gzip paths: ISA-L's igzip (the default) against libarchive's zlib filter
// (BERTH_NO_ISAL=1) on the same blobs: the same entries and DiffID for single, multi-member and
// empty gzip streams, and one-line errors for truncated or corrupt ones (CRC-32 and ISIZE of
// every member checked, and anything but another member after one refused, as Go's gzip
// reader, which Docker and containerd use, does).
#include "engine/image/layer_stream.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>

#include "common/error.h"
#include "engine/image/digest.h"
#include "engine/image/isal_lib.h"
#include "sys/unique_fd.h"
#include "tests/security/image/tar_builder.h"
#include "tests/support/harness.h"

namespace berth::engine::image {
namespace {

namespace fs = std::filesystem;

struct Read {
  std::string entries;  // name, NUL, data, NUL for each entry
  std::string diff_id;
  std::string error;  // "" when the whole stream was read
  bool operator==(const Read&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Read& r) {
  return os << "{" << r.entries.size() << " bytes of entries, " << r.diff_id << ", error `"
            << r.error << "`}";
}

class LayerStreamTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = berth::test::make_temp_dir("berth-unit-"); }
  void TearDown() override {
    ::unsetenv("BERTH_NO_ISAL");
    fs::remove_all(dir_);
  }

  // A tar of a few files, one of them ~1 MB so the output spans many reads.
  std::string layer_tar() {
    std::string big;
    unsigned x = 12345;
    while (big.size() < (1u << 20)) {
      x = x * 1103515245 + 12345;
      big += "word" + std::to_string((x >> 16) % 5000) + (x % 7 == 0 ? "\n" : " ");
    }
    test::TarBuilder t;
    t.dir("etc").file("etc/hostname", "berth\n").file("big", big).file("empty", "");
    t.write(dir_ / "layer.tar");
    return berth::test::read_all(dir_ / "layer.tar");
  }

  static std::string gzip(const std::string& data) {
    auto r = berth::test::run_command({"/usr/bin/gzip", "-c", "-n"}, data);
    EXPECT_EQ(r.exit_code, 0);
    return r.out;
  }

  // The blob read through LayerStream with ISA-L, or with libarchive's gzip filter.
  Read read(const std::string& blob, bool isal) {
    if (isal)
      ::unsetenv("BERTH_NO_ISAL");
    else
      ::setenv("BERTH_NO_ISAL", "1", 1);
    fs::path p = dir_ / "blob";
    std::ofstream(p, std::ios::binary | std::ios::trunc) << blob;
    sys::UniqueFd fd(::open(p.c_str(), O_RDONLY | O_CLOEXEC));
    const auto& la = archive_lib();
    Read out;
    try {
      LayerStream stream(fd.get());
      struct archive_entry* e = nullptr;
      int rc;
      while ((rc = la.archive_read_next_header(stream.tar(), &e)) == ARCHIVE_OK) {
        out.entries += std::string(la.archive_entry_pathname(e)) + '\0';
        char buf[4096];
        la_ssize_t n;
        while ((n = la.archive_read_data(stream.tar(), buf, sizeof buf)) > 0)
          out.entries.append(buf, static_cast<size_t>(n));
        if (n < 0) throw Error("read layer: " + archive_error(stream.tar()));
        out.entries += '\0';
      }
      if (rc != ARCHIVE_EOF) throw Error("read layer: " + archive_error(stream.tar()));
      out.diff_id = stream.finish();
    } catch (const Error& e) {
      out.error = e.what();
    }
    return out;
  }

  // Both paths agree and read the whole blob; returns what they read.
  Read same_as_zlib(const std::string& blob) {
    EXPECT_NE(isal_lib(), nullptr) << "libisal.so.2 is not loaded";
    Read zlib = read(blob, false);
    Read isal = read(blob, true);
    EXPECT_EQ(isal, zlib);
    EXPECT_EQ(isal.error, "");
    return isal;
  }

  // The error of the ISA-L path, which must fail.
  std::string isal_error(const std::string& blob) {
    EXPECT_NE(isal_lib(), nullptr) << "libisal.so.2 is not loaded";
    Read r = read(blob, true);
    EXPECT_NE(r.error, "");
    EXPECT_EQ(r.error.find('\n'), std::string::npos) << r.error;
    return r.error;
  }

  fs::path dir_;
};

TEST_F(LayerStreamTest, IsalIsLoadedUnlessDisabled) {
  EXPECT_NE(isal_lib(), nullptr);
  ::setenv("BERTH_NO_ISAL", "1", 1);
  EXPECT_EQ(isal_lib(), nullptr);
}

TEST_F(LayerStreamTest, GzipReadsAsWithZlib) {
  std::string tar = layer_tar();
  Read r = same_as_zlib(gzip(tar));
  EXPECT_EQ(r.diff_id, sha256_digest(tar));
  EXPECT_NE(r.entries.find("etc/hostname"), std::string::npos);
}

TEST_F(LayerStreamTest, MultiMemberGzipReadsAsWithZlib) {
  std::string tar = layer_tar();
  // Members split anywhere, even inside a tar header (as pigz --independent or a
  // concatenation of gzip'd parts).
  std::string blob =
      gzip(tar.substr(0, 700)) + gzip(tar.substr(700, 300000)) + gzip(tar.substr(300700));
  Read r = same_as_zlib(blob);
  EXPECT_EQ(r.diff_id, sha256_digest(tar));
}

TEST_F(LayerStreamTest, ManySmallMembersAcrossReadBoundaries) {
  std::string tar = layer_tar();
  std::string blob;
  size_t at = 0;
  for (size_t i = 0; at < tar.size(); ++i) {
    size_t n = 1000 + (i * 7919) % 20000;
    blob += gzip(tar.substr(at, n));
    at += n;
  }
  Read r = same_as_zlib(blob);
  EXPECT_EQ(r.diff_id, sha256_digest(tar));
}

TEST_F(LayerStreamTest, EmptyMembersAndEmptyContent) {
  std::string tar = layer_tar();
  Read r = same_as_zlib(gzip("") + gzip(tar) + gzip(""));
  EXPECT_EQ(r.diff_id, sha256_digest(tar));
  Read empty_tar = same_as_zlib(gzip(std::string(1024, '\0')));
  EXPECT_EQ(empty_tar.diff_id, sha256_digest(std::string(1024, '\0')));
  EXPECT_EQ(read(gzip(""), true), read(gzip(""), false));
}

TEST_F(LayerStreamTest, TruncatedGzipIsAnError) {
  std::string gz = gzip(layer_tar());
  EXPECT_EQ(isal_error(gz.substr(0, gz.size() / 2)), "read layer: truncated gzip input");
  // Only the trailer (CRC-32, ISIZE) cut.
  EXPECT_EQ(isal_error(gz.substr(0, gz.size() - 4)), "read layer: truncated gzip input");
  // A member cut inside its header.
  EXPECT_EQ(isal_error(gz + gz.substr(0, 5)), "read layer: truncated gzip input");
  // A layer cut before its first tar header is whole: the tar reader, still detecting the
  // format, must not replace the error.
  test::TarBuilder t;
  t.file("f", "data");
  t.write(dir_ / "small.tar");
  std::string small = gzip(berth::test::read_all(dir_ / "small.tar"));
  EXPECT_EQ(isal_error(small.substr(0, small.size() / 2)), "read layer: truncated gzip input");
}

TEST_F(LayerStreamTest, FlippedCrcIsAnError) {
  std::string gz = gzip(layer_tar());
  gz[gz.size() - 8] ^= 1;
  EXPECT_EQ(isal_error(gz), "read layer: invalid gzip checksum");
  // In the first of two members.
  std::string tar = layer_tar();
  std::string first = gzip(tar.substr(0, 5000));
  first[first.size() - 6] ^= 0x40;
  EXPECT_EQ(isal_error(first + gzip(tar.substr(5000))), "read layer: invalid gzip checksum");
}

TEST_F(LayerStreamTest, WrongIsizeIsAnError) {
  std::string gz = gzip(layer_tar());
  gz[gz.size() - 4] ^= 1;
  EXPECT_EQ(isal_error(gz), "read layer: invalid gzip checksum");
}

TEST_F(LayerStreamTest, CorruptHeaderOrDataIsAnError) {
  std::string gz = gzip(layer_tar());
  std::string method = gz;
  method[2] = 7;  // not deflate
  EXPECT_NE(isal_error(method).find("gzip"), std::string::npos);
  std::string data = gz;
  for (size_t i = 100; i < 200; ++i) data[i] = static_cast<char>(0xff);
  EXPECT_NE(isal_error(data), "");
}

TEST_F(LayerStreamTest, AnythingButAMemberAfterAMemberIsAnError) {
  std::string gz = gzip(layer_tar());
  EXPECT_EQ(isal_error(gz + "trailing garbage"),
            "read layer: invalid gzip header at byte " + std::to_string(gz.size()));
  EXPECT_EQ(isal_error(gz + std::string(512, '\0')),
            "read layer: invalid gzip header at byte " + std::to_string(gz.size()));
}

}  // namespace
}  // namespace berth::engine::image
