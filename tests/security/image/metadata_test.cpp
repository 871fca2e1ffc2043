// Hostile image metadata: digests in an image's config, manifest and index that are empty,
// climb ("sha256:../../.."), use uppercase or short hex or an unsupported algorithm, and
// references that are not Docker references (`tag busybox ../y`). Each is refused at the
// boundary with go-digest's or distribution/reference's message, before any path is built
// from it: no image, no new file in the state dirs, nothing outside them.
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "engine/image/digest.h"
#include "tests/security/image/tar_builder.h"
#include "tests/support/harness.h"

namespace berth::test {
namespace {

namespace fs = std::filesystem;
using engine::image::sha256_digest;
using nlohmann::json;

std::string layer_bytes(const std::string& file, const fs::path& scratch) {
  TarBuilder t;
  t.file(file, "fine");
  t.write(scratch);
  std::ifstream f(scratch, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

// What can be tampered with in a generated image.
struct Tamper {
  std::vector<std::string> diff_ids;  // the config's rootfs.diff_ids, as written
  std::string layer_digest;           // the manifest's layer digest ("" = the real one)
  std::string config_digest;          // the manifest's config digest ("" = the real one)
  std::string manifest_digest;        // index.json's manifest digest ("" = the real one)
};

// An OCI layout with one image whose layers are `layers` (the last one's descriptor takes
// t.layer_digest when set).
void oci_image(TarBuilder& out, const std::vector<std::string>& layers, const Tamper& t) {
  std::string config = json({{"architecture", "amd64"},
                             {"os", "linux"},
                             {"rootfs", {{"type", "layers"}, {"diff_ids", t.diff_ids}}}})
                           .dump();
  json descs = json::array();
  for (size_t i = 0; i < layers.size(); ++i) {
    std::string d = sha256_digest(layers[i]);
    if (i + 1 == layers.size() && !t.layer_digest.empty()) d = t.layer_digest;
    descs.push_back({{"mediaType", "application/vnd.oci.image.layer.v1.tar"},
                     {"digest", d},
                     {"size", layers[i].size()}});
  }
  std::string config_digest = t.config_digest.empty() ? sha256_digest(config) : t.config_digest;
  std::string manifest = json({{"schemaVersion", 2},
                               {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                               {"config", {{"digest", config_digest}, {"size", config.size()}}},
                               {"layers", descs}})
                             .dump();
  std::string manifest_digest =
      t.manifest_digest.empty() ? sha256_digest(manifest) : t.manifest_digest;
  json desc = {{"mediaType", "application/vnd.oci.image.manifest.v1+json"},
               {"digest", manifest_digest},
               {"size", manifest.size()},
               {"annotations", {{"io.containerd.image.name", "evil:latest"}}}};
  out.file("oci-layout", R"({"imageLayoutVersion":"1.0.0"})")
      .file("index.json", json({{"schemaVersion", 2}, {"manifests", {desc}}}).dump())
      .file("blobs/sha256/" + hex(config), config)
      .file("blobs/sha256/" + hex(manifest), manifest);
  for (const auto& l : layers) out.file("blobs/sha256/" + hex(l), l);
}

// Every non-directory below dir, links not followed.
std::set<std::string> files_below(const fs::path& dir) {
  std::set<std::string> out;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec);
       it != fs::recursive_directory_iterator(); it.increment(ec))
    if (!it->is_directory(ec) || it->is_symlink(ec)) out.insert(it->path().string());
  return out;
}

class ImageMetadata : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!is_root()) GTEST_SKIP() << "needs root";
    st.import_busybox();  // the store exists, with its locks, before the hostile input
    images_before = st.berth({"images", "-q", "--no-trunc"}).out;
    fs::create_directories(scratch);
  }

  // Nothing was added to the state dirs, and no image appeared.
  void expect_unchanged(const std::set<std::string>& before) {
    EXPECT_EQ(st.berth({"images", "-q", "--no-trunc"}).out, images_before);
    for (const auto& f : state_files()) EXPECT_TRUE(before.count(f)) << "new file: " << f;
    for (const auto& e : fs::directory_iterator(st.dir()))
      EXPECT_TRUE(e.path() == st.root() || e.path() == st.runroot() || e.path() == scratch)
          << "new file next to the state dirs: " << e.path();
  }

  std::set<std::string> state_files() const {
    auto out = files_below(st.root());
    auto run = files_below(st.runroot());
    out.insert(run.begin(), run.end());
    return out;
  }

  void expect_load_refused(const TarBuilder& t, const std::string& needle) {
    auto before = state_files();
    fs::path tar = scratch / "evil.tar";
    t.write(tar);
    auto r = st.berth({"load", "-i", tar.string()});
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_NE(r.err.find(needle), std::string::npos) << r.err;
    expect_unchanged(before);
  }

  void expect_tag_refused(const std::string& target, const std::string& message) {
    auto before = state_files();
    auto r = st.berth({"tag", "busybox", target});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.err, "Error: Error parsing reference: \"" + target +
                         "\" is not a valid repository/tag: " + message + "\n");
    expect_unchanged(before);
  }

  std::string layer(const std::string& name = "ok") {
    return layer_bytes(name, scratch / ("layer-" + name + ".tar"));
  }

  TempState st;
  fs::path scratch = st.dir() / "scratch";
  std::string images_before;
};

const std::string kZeros = "sha256:" + std::string(64, '0');

TEST_F(ImageMetadata, EmptyDiffIdRefused) {
  TarBuilder t;
  oci_image(t, {layer()}, {{""}});
  expect_load_refused(t, "invalid checksum digest format");
}

TEST_F(ImageMetadata, EmptyDiffIdOnASecondLayerRefusedBeforeTheFirstIsStored) {
  std::string a = layer("a"), b = layer("b");
  TarBuilder t;
  oci_image(t, {a, b}, {{sha256_digest(a), ""}});
  expect_load_refused(t, "invalid checksum digest format");
}

TEST_F(ImageMetadata, ClimbingDiffIdRefused) {
  TarBuilder t;
  oci_image(t, {layer()}, {{"sha256:../../.."}});
  expect_load_refused(t, "invalid checksum digest length");
}

TEST_F(ImageMetadata, AbsolutePathDiffIdRefused) {
  TarBuilder t;
  oci_image(t, {layer()}, {{"sha256:/" + std::string(63, 'a')}});
  expect_load_refused(t, "invalid checksum digest format");
}

TEST_F(ImageMetadata, UppercaseDiffIdRefused) {
  std::string l = layer();
  std::string upper = sha256_digest(l);
  for (size_t i = 7; i < upper.size(); ++i) upper[i] = static_cast<char>(std::toupper(upper[i]));
  TarBuilder t;
  oci_image(t, {l}, {{upper}});
  expect_load_refused(t, "invalid checksum digest format");
}

TEST_F(ImageMetadata, ShortDiffIdRefused) {
  std::string l = layer();
  TarBuilder t;
  oci_image(t, {l}, {{sha256_digest(l).substr(0, 40)}});
  expect_load_refused(t, "invalid checksum digest length");
}

TEST_F(ImageMetadata, UnsupportedDiffIdAlgorithmRefused) {
  TarBuilder t;
  oci_image(t, {layer()}, {{"sha512:" + std::string(128, 'a')}});
  expect_load_refused(t, "unsupported digest algorithm");
}

TEST_F(ImageMetadata, ClimbingLayerDigestRefused) {
  std::string l = layer();
  TarBuilder t;
  oci_image(t, {l}, {{sha256_digest(l)}, "sha256:../../../../etc/passwd"});
  expect_load_refused(t, "invalid checksum digest length");
}

TEST_F(ImageMetadata, UppercaseConfigDigestRefused) {
  std::string l = layer();
  TarBuilder t;
  oci_image(t, {l}, {{sha256_digest(l)}, "", "sha256:" + std::string(64, 'A')});
  expect_load_refused(t, "invalid checksum digest format");
}

TEST_F(ImageMetadata, UnsupportedManifestDigestInIndexRefused) {
  std::string l = layer();
  TarBuilder t;
  oci_image(t, {l}, {{sha256_digest(l)}, "", "", "md5:" + std::string(32, 'a')});
  expect_load_refused(t, "unsupported digest algorithm");
}

TEST_F(ImageMetadata, DockerArchiveClimbingDiffIdRefused) {
  std::string l = layer();
  std::string config =
      json({{"rootfs", {{"type", "layers"}, {"diff_ids", {"sha256:../../.."}}}}}).dump();
  json m = {{{"Config", "c.json"}, {"RepoTags", {"evil:1"}}, {"Layers", {"l/layer.tar"}}}};
  TarBuilder t;
  t.file("c.json", config).file("l/layer.tar", l).file("manifest.json", m.dump());
  expect_load_refused(t, "invalid checksum digest length");
}

TEST_F(ImageMetadata, DockerArchiveEmptyDiffIdRefused) {
  std::string l = layer();
  std::string config = json({{"rootfs", {{"type", "layers"}, {"diff_ids", {""}}}}}).dump();
  json m = {{{"Config", "c.json"}, {"RepoTags", {"evil:1"}}, {"Layers", {"l/layer.tar"}}}};
  TarBuilder t;
  t.file("c.json", config).file("l/layer.tar", l).file("manifest.json", m.dump());
  expect_load_refused(t, "invalid checksum digest format");
}

TEST_F(ImageMetadata, AlreadyUnpackedLayerIsStillCheckedAgainstTheDiffId) {
  std::string real = layer("real");
  TarBuilder first;
  oci_image(first, {real}, {{sha256_digest(real)}});
  first.write(scratch / "first.tar");
  ASSERT_EQ(st.berth({"load", "-i", (scratch / "first.tar").string()}).exit_code, 0);
  images_before = st.berth({"images", "-q", "--no-trunc"}).out;
  // Another blob claiming to be the unpacked layer: refused, not taken on its word.
  std::string other = layer("other");
  TarBuilder t;
  oci_image(t, {other}, {{sha256_digest(real)}});
  expect_load_refused(t, "content has diff ID " + sha256_digest(other));
}

TEST_F(ImageMetadata, ValidImageStillLoads) {
  std::string l = layer();
  TarBuilder t;
  oci_image(t, {l}, {{sha256_digest(l)}});
  fs::path tar = scratch / "ok.tar";
  t.write(tar);
  auto r = st.berth({"load", "-i", tar.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "Loaded image: evil:latest\n");
}

TEST_F(ImageMetadata, TagDotDotDomainRefused) {
  expect_tag_refused("../y", "invalid reference format");
}

TEST_F(ImageMetadata, TagDotDotComponentRefused) {
  expect_tag_refused("a/../b", "invalid reference format");
}

TEST_F(ImageMetadata, TagDotDomainRefused) {
  expect_tag_refused("./y", "invalid reference format");
}

TEST_F(ImageMetadata, TagUppercaseRefused) {
  expect_tag_refused("Foo",
                     "invalid reference format: repository name (library/Foo) must be lowercase");
}

TEST_F(ImageMetadata, TagNameTooLongRefused) {
  expect_tag_refused(std::string(256, 'a'), "repository name must not be more than 255 characters");
}

}  // namespace
}  // namespace berth::test
