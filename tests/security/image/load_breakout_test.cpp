// Hostile image archives for `berth load`: members and links that climb out of the archive,
// metadata naming host paths, blobs whose content does not match their digest, and a
// hostile layer inside an otherwise valid image. Each load fails with one line, adds no
// image and reads or writes nothing outside the store.
#include <fstream>
#include <nlohmann/json.hpp>

#include "engine/image/digest.h"
#include "tests/security/image/tar_builder.h"
#include "tests/support/harness.h"

namespace berth::test {
namespace {

namespace fs = std::filesystem;
using engine::image::sha256_digest;
using nlohmann::json;

// A one-layer image as an OCI layout: layer tar bytes, the config naming diff_id.
void oci_image(TarBuilder& t, const std::string& layer, const std::string& diff_id) {
  std::string config = json({{"architecture", "amd64"},
                             {"os", "linux"},
                             {"rootfs", {{"type", "layers"}, {"diff_ids", {diff_id}}}}})
                           .dump();
  std::string manifest =
      json({{"schemaVersion", 2},
            {"config", {{"digest", sha256_digest(config)}, {"size", config.size()}}},
            {"layers", {{{"digest", sha256_digest(layer)}, {"size", layer.size()}}}}})
          .dump();
  json desc = {{"mediaType", "application/vnd.oci.image.manifest.v1+json"},
               {"digest", sha256_digest(manifest)},
               {"size", manifest.size()},
               {"annotations", {{"io.containerd.image.name", "evil:latest"}}}};
  json index_json = {{"schemaVersion", 2}, {"manifests", json::array({desc})}};
  std::string index = index_json.dump();
  t.file("oci-layout", R"({"imageLayoutVersion":"1.0.0"})")
      .file("index.json", index)
      .file("blobs/sha256/" + hex(config), config)
      .file("blobs/sha256/" + hex(manifest), manifest)
      .file("blobs/sha256/" + hex(layer), layer);
}

std::string tar_bytes(const TarBuilder& t, const fs::path& scratch) {
  t.write(scratch);
  std::ifstream f(scratch, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

class LoadBreakout : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!is_root()) GTEST_SKIP() << "needs root";
    fs::create_directories(st.dir() / "sentinel");
    std::ofstream(st.dir() / "sentinel" / "manifest.json") << "[]";
  }
  void expect_refused(const TarBuilder& t, const std::string& needle) {
    fs::path tar = st.dir() / "evil.tar";
    t.write(tar);
    auto r = st.berth({"load", "-i", tar.string()});
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_NE(r.err.find(needle), std::string::npos) << r.err;
    EXPECT_EQ(st.berth({"images", "-q"}).out, "");
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(st.root() / "layers", ec))
      EXPECT_EQ(e.path().filename(), ".tmp") << "layer left: " << e.path();
    EXPECT_TRUE(fs::is_empty(st.root() / "layers" / ".tmp", ec) || ec);
    EXPECT_EQ(fs::directory_iterator(st.dir() / "sentinel")->path().filename(), "manifest.json");
    EXPECT_FALSE(fs::exists("/tmp/berth-load-pwned"));
  }
  TempState st;
};

TEST_F(LoadBreakout, MemberWithDotDot) {
  TarBuilder t;
  t.file("../../../../../../tmp/berth-load-pwned", "x").file("manifest.json", "[]");
  expect_refused(t, "path contains \"..\"");
}

TEST_F(LoadBreakout, ManifestSymlinkedOutOfTheArchive) {
  TarBuilder t;
  t.symlink("manifest.json", "../../../../../.." + (st.dir() / "sentinel/manifest.json").string());
  expect_refused(t, "links outside the archive");
}

TEST_F(LoadBreakout, ManifestHardlinkedOutOfTheArchive) {
  TarBuilder t;
  t.hardlink("manifest.json", "../sentinel/manifest.json");
  expect_refused(t, "links outside the archive");
}

TEST_F(LoadBreakout, ConfigNamedByHostPath) {
  TarBuilder t;
  json m = {{{"Config", (st.dir() / "sentinel/manifest.json").string()},
             {"RepoTags", {"evil:1"}},
             {"Layers", json::array()}}};
  t.file("manifest.json", m.dump());
  expect_refused(t, "is missing");
}

TEST_F(LoadBreakout, LayerNamedByDotDotPath) {
  std::string config =
      json({{"rootfs", {{"type", "layers"}, {"diff_ids", {"sha256:" + std::string(64, 'a')}}}}})
          .dump();
  TarBuilder t;
  json m = {
      {{"Config", "c.json"}, {"RepoTags", {"evil:1"}}, {"Layers", {"../../../../etc/passwd"}}}};
  t.file("c.json", config).file("manifest.json", m.dump());
  expect_refused(t, "is missing");
}

TEST_F(LoadBreakout, DiffIdMismatch) {
  TarBuilder layer;
  layer.file("ok", "fine");
  std::string bytes = tar_bytes(layer, st.dir() / "layer.tar");
  TarBuilder t;
  oci_image(t, bytes, "sha256:" + std::string(64, '0'));
  expect_refused(t, "the image config says");
}

TEST_F(LoadBreakout, BlobContentDoesNotMatchItsName) {
  TarBuilder layer;
  layer.file("ok", "fine");
  std::string bytes = tar_bytes(layer, st.dir() / "layer.tar");
  TarBuilder t;
  oci_image(t, bytes, sha256_digest(bytes));
  // A second member under the layer's name with other content: the loader goes by content.
  TarBuilder swapped;
  std::string config =
      json({{"rootfs", {{"type", "layers"}, {"diff_ids", {sha256_digest(bytes)}}}}}).dump();
  std::string manifest = json({{"schemaVersion", 2},
                               {"config", {{"digest", sha256_digest(config)}}},
                               {"layers", {{{"digest", sha256_digest(bytes)}}}}})
                             .dump();
  std::string index = json({{"manifests", {{{"digest", sha256_digest(manifest)}}}}}).dump();
  swapped.file("oci-layout", "{}")
      .file("index.json", index)
      .file("blobs/sha256/" + hex(config), config)
      .file("blobs/sha256/" + hex(manifest), manifest)
      .file("blobs/sha256/" + hex(bytes), "tampered");
  expect_refused(swapped, "is missing from the archive");
}

TEST_F(LoadBreakout, HostileLayerInsideValidImage) {
  TarBuilder layer;
  layer.symlink("l", (st.dir() / "sentinel").string()).file("l/pwned", "x");
  std::string bytes = tar_bytes(layer, st.dir() / "layer.tar");
  TarBuilder t;
  oci_image(t, bytes, sha256_digest(bytes));
  expect_refused(t, "layer entry `l/pwned`");
}

}  // namespace
}  // namespace berth::test
