// Interop with skopeo (Debian's, a second implementation of the distribution protocol): what
// berth pushes skopeo copies out unchanged, what skopeo pushes berth pulls into the same
// image, and a two-platform manifest list pushed by skopeo is resolved by berth to the host's
// platform or to --platform's. Skipped where skopeo or docker-registry is not installed.
#include <gtest/gtest.h>
#include <sys/utsname.h>

#include <fstream>

#include "common/crypto_lib.h"
#include "tests/integration/registry/registry_support.h"
#include "tests/support/hostile_registry.h"

namespace berth::test {
namespace {

namespace fs = std::filesystem;

class RegistrySkopeo : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!is_root()) GTEST_SKIP() << "needs root";
    skopeo = skopeo_path();
    if (skopeo.empty()) GTEST_SKIP() << "skopeo is not installed (Debian package skopeo)";
  }

  RunResult run_skopeo(std::vector<std::string> args) {
    args.insert(args.begin(), skopeo);
    // skopeo keeps its own state under $HOME (auth) and /var/tmp (big temp files): point its
    // temp dir into the test's dir.
    return run_command_env(args, {"TMPDIR=" + st.dir().string()}, "", kTransferTimeout);
  }

  TempState st;
  std::string skopeo;
};

std::string file_sha256(const fs::path& p) {
  return "sha256:" + berth::sha256_hex(read_all(p));
}

// berth push → skopeo copy docker://… dir:…: the manifest skopeo fetched is the one berth
// reported, and the config blob is the image ID.
TEST_F(RegistrySkopeo, BerthPushSkopeoCopiesOut) {
  auto reg = LocalRegistry::start();
  if (!reg) return;
  st.import_busybox();
  std::string id = image_id(st, "busybox");
  std::string ref = reg->authority() + "/interop/busybox:1";
  ASSERT_EQ(st.berth({"tag", "busybox", ref}).exit_code, 0);
  auto push = st.berth({"push", ref}, "", kTransferTimeout);
  ASSERT_EQ(push.exit_code, 0) << push.out << push.err;
  std::string digest = push_digest(push.out, "1");
  ASSERT_FALSE(digest.empty()) << push.out;

  fs::path out = st.dir() / "skopeo-out";
  auto r = run_skopeo({"copy", "--src-tls-verify=false", "docker://" + ref, "dir:" + out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(file_sha256(out / "manifest.json"), digest);
  EXPECT_TRUE(fs::exists(out / id.substr(7))) << "config blob " << id << " not copied";
  // Every layer the manifest names arrived with its digest.
  auto manifest = nlohmann::json::parse(read_all(out / "manifest.json"));
  for (const auto& l : manifest["layers"]) {
    std::string d = l["digest"];
    EXPECT_EQ(file_sha256(out / d.substr(7)), d);
  }
}

// berth save → skopeo copy docker-archive:… docker://… → berth pull: the same image ID.
TEST_F(RegistrySkopeo, SkopeoPushBerthPulls) {
  auto reg = LocalRegistry::start();
  if (!reg) return;
  st.import_busybox();
  std::string id = image_id(st, "busybox");
  fs::path archive = st.dir() / "busybox.tar";
  auto save = st.berth({"save", "-o", archive.string(), "busybox"});
  ASSERT_EQ(save.exit_code, 0) << save.err;
  std::string ref = reg->authority() + "/interop/from-skopeo:1";
  auto r = run_skopeo(
      {"copy", "--dest-tls-verify=false", "docker-archive:" + archive.string(), "docker://" + ref});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  auto digest =
      run_skopeo({"inspect", "--tls-verify=false", "--format", "{{.Digest}}", "docker://" + ref});
  ASSERT_EQ(digest.exit_code, 0) << digest.err;

  ASSERT_EQ(st.berth({"rmi", "busybox"}).exit_code, 0);
  auto pull = st.berth({"pull", ref}, "", kTransferTimeout);
  ASSERT_EQ(pull.exit_code, 0) << pull.out << pull.err;
  EXPECT_EQ(pull_digest(pull.out), trimmed(digest.out)) << pull.out;
  EXPECT_EQ(image_id(st, ref), id);
  auto run = st.berth({"run", "--rm", ref, "echo", "from skopeo"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "from skopeo\n");
}

// One single-layer image of an OCI layout: its manifest's descriptor (with platform) and the
// config digest (the image ID berth will show).
struct PlatformImage {
  std::string arch, variant;
  std::string config_digest;
  nlohmann::json descriptor;
};

std::string write_blob(const fs::path& layout, const std::string& bytes) {
  std::string digest = sha256_digest(bytes);
  std::ofstream(layout / "blobs" / "sha256" / digest.substr(7), std::ios::binary) << bytes;
  return digest;
}

PlatformImage write_platform_image(const fs::path& layout, const std::string& arch,
                                   const std::string& variant) {
  PlatformImage img{arch, variant, "", {}};
  std::string tar = tar_bytes({{"platform", '0', arch + "\n", "", 0644}});
  std::string layer = gzip_bytes(tar);
  std::string layer_digest = write_blob(layout, layer);
  nlohmann::json config = {{"architecture", arch},
                           {"os", "linux"},
                           {"config", {{"Cmd", {"/platform"}}}},
                           {"rootfs", {{"type", "layers"}, {"diff_ids", {sha256_digest(tar)}}}},
                           {"history", {{{"created_by", "berth test " + arch}}}}};
  if (!variant.empty()) config["variant"] = variant;
  std::string config_bytes = config.dump();
  img.config_digest = write_blob(layout, config_bytes);
  nlohmann::json manifest = {{"schemaVersion", 2},
                             {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                             {"config",
                              {{"mediaType", "application/vnd.oci.image.config.v1+json"},
                               {"digest", img.config_digest},
                               {"size", config_bytes.size()}}},
                             {"layers",
                              {{{"mediaType", "application/vnd.oci.image.layer.v1.tar+gzip"},
                                {"digest", layer_digest},
                                {"size", layer.size()}}}}};
  std::string manifest_bytes = manifest.dump();
  nlohmann::json platform = {{"architecture", arch}, {"os", "linux"}};
  if (!variant.empty()) platform["variant"] = variant;
  img.descriptor = {{"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                    {"digest", write_blob(layout, manifest_bytes)},
                    {"size", manifest_bytes.size()},
                    {"platform", platform}};
  return img;
}

// A manifest list (OCI index) of linux/amd64 and linux/arm64/v8, written as an OCI layout and
// pushed by `skopeo copy --all`: berth pulls the host's platform by default and the other with
// --platform, each the image of that platform's config.
TEST_F(RegistrySkopeo, ManifestListPicksPlatform) {
  utsname u{};
  ::uname(&u);
  std::string machine = u.machine;
  if (machine != "x86_64" && machine != "aarch64")
    GTEST_SKIP() << "the list holds amd64 and arm64 images; this host is " << machine;
  auto reg = LocalRegistry::start();
  if (!reg) return;

  fs::path layout = st.dir() / "layout";
  fs::create_directories(layout / "blobs" / "sha256");
  std::ofstream(layout / "oci-layout") << R"({"imageLayoutVersion":"1.0.0"})";
  PlatformImage amd64 = write_platform_image(layout, "amd64", "");
  PlatformImage arm64 = write_platform_image(layout, "arm64", "v8");
  nlohmann::json index = {{"schemaVersion", 2},
                          {"mediaType", "application/vnd.oci.image.index.v1+json"},
                          {"manifests", {amd64.descriptor, arm64.descriptor}}};
  std::string index_bytes = index.dump();
  std::string index_digest = write_blob(layout, index_bytes);
  nlohmann::json top = {{"schemaVersion", 2},
                        {"manifests",
                         {{{"mediaType", "application/vnd.oci.image.index.v1+json"},
                           {"digest", index_digest},
                           {"size", index_bytes.size()},
                           {"annotations", {{"org.opencontainers.image.ref.name", "multi"}}}}}}};
  std::ofstream(layout / "index.json") << top.dump();

  std::string ref = reg->authority() + "/interop/multi:1";
  auto r = run_skopeo({"copy", "--all", "--preserve-digests", "--dest-tls-verify=false",
                       "oci:" + layout.string() + ":multi", "docker://" + ref});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  auto raw = run_skopeo({"inspect", "--raw", "--tls-verify=false", "docker://" + ref});
  ASSERT_EQ(raw.exit_code, 0) << raw.err;
  ASSERT_EQ(sha256_digest(raw.out), index_digest) << raw.out;

  const PlatformImage& native = machine == "x86_64" ? amd64 : arm64;
  const PlatformImage& other = machine == "x86_64" ? arm64 : amd64;
  auto pull = st.berth({"pull", ref}, "", kTransferTimeout);
  ASSERT_EQ(pull.exit_code, 0) << pull.out << pull.err;
  // Docker prints the digest the reference resolved to: the list's.
  EXPECT_EQ(pull_digest(pull.out), index_digest) << pull.out;
  EXPECT_EQ(image_id(st, ref), native.config_digest);
  EXPECT_EQ(image_field(st, ref, "{{.Architecture}}"), native.arch);

  std::string other_platform =
      "linux/" + other.arch + (other.variant.empty() ? "" : "/" + other.variant);
  auto pull_other = st.berth({"pull", "--platform", other_platform, ref}, "", kTransferTimeout);
  ASSERT_EQ(pull_other.exit_code, 0) << pull_other.out << pull_other.err;
  EXPECT_EQ(image_id(st, ref), other.config_digest);
  EXPECT_EQ(image_field(st, ref, "{{.Architecture}}"), other.arch);
  // Docker's --platform without the variant matches too.
  auto pull_native =
      st.berth({"pull", "--platform", "linux/" + native.arch, ref}, "", kTransferTimeout);
  ASSERT_EQ(pull_native.exit_code, 0) << pull_native.out << pull_native.err;
  EXPECT_EQ(image_id(st, ref), native.config_digest);

  // The same list as Docker's manifest list (skopeo converts it and the manifests to Docker's
  // v2 schema 2): the same choice.
  std::string docker_ref = reg->authority() + "/interop/multi-docker:1";
  auto conv = run_skopeo({"copy", "--all", "--format", "v2s2", "--dest-tls-verify=false",
                          "oci:" + layout.string() + ":multi", "docker://" + docker_ref});
  ASSERT_EQ(conv.exit_code, 0) << conv.out << conv.err;
  auto conv_raw = run_skopeo({"inspect", "--raw", "--tls-verify=false", "docker://" + docker_ref});
  ASSERT_NE(conv_raw.out.find("application/vnd.docker.distribution.manifest.list.v2+json"),
            std::string::npos)
      << conv_raw.out;
  auto pull_docker = st.berth({"pull", docker_ref}, "", kTransferTimeout);
  ASSERT_EQ(pull_docker.exit_code, 0) << pull_docker.out << pull_docker.err;
  EXPECT_EQ(image_id(st, docker_ref), native.config_digest);
  EXPECT_EQ(pull_digest(pull_docker.out), sha256_digest(conv_raw.out)) << pull_docker.out;

  // A platform the list does not have: Docker's error, exit 1.
  auto none = st.berth({"pull", "--platform", "linux/s390x", ref}, "", kTransferTimeout);
  EXPECT_EQ(none.exit_code, 1) << none.out;
  EXPECT_TRUE(one_line(none.err)) << none.err;
  EXPECT_NE(none.err.find("no matching manifest for linux/s390x"), std::string::npos) << none.err;
}

}  // namespace
}  // namespace berth::test
