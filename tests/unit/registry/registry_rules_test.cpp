// The registry client's pure rules: WWW-Authenticate challenges, token answers, platforms and
// the choice of a manifest in a list, which registries are insecure and how they are reached,
// reference → domain/path, and the layer progress bar.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "cli/format/layer_progress.h"
#include "common/error.h"
#include "engine/image/reference.h"
#include "registry/auth_challenge.h"
#include "registry/endpoint.h"
#include "registry/platform.h"

namespace berth::registry {
namespace {

TEST(RegistryChallenge, BearerWithQuotedParams) {
  auto c = parse_challenges(
      R"(Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull")");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].scheme, "bearer");
  EXPECT_EQ(c[0].params["realm"], "https://auth.docker.io/token");
  EXPECT_EQ(c[0].params["service"], "registry.docker.io");
  EXPECT_EQ(c[0].params["scope"], "repository:library/busybox:pull");
}

TEST(RegistryChallenge, BasicAndSeveralChallenges) {
  auto c = parse_challenges(R"(Basic realm="Registry Realm", Bearer realm="x", service=s)");
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].scheme, "basic");
  EXPECT_EQ(c[0].params["realm"], "Registry Realm");
  EXPECT_EQ(c[1].scheme, "bearer");
  EXPECT_EQ(c[1].params["realm"], "x");
  EXPECT_EQ(c[1].params["service"], "s");
}

TEST(RegistryChallenge, EscapesAndCaseAndGarbage) {
  auto c = parse_challenges(R"(BEARER Realm="a\"b",SCOPE="x")");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].scheme, "bearer");
  EXPECT_EQ(c[0].params["realm"], "a\"b");
  EXPECT_EQ(c[0].params["scope"], "x");
  EXPECT_TRUE(parse_challenges("").empty());
  EXPECT_TRUE(parse_challenges("   ,, ").empty());
  EXPECT_EQ(parse_challenges("Basic").size(), 1u);
}

TEST(RegistryChallenge, TokenFromResponse) {
  EXPECT_EQ(token_from_response(R"({"token":"t1","access_token":"t2"})"), "t1");
  EXPECT_EQ(token_from_response(R"({"access_token":"t2"})"), "t2");
  EXPECT_EQ(token_from_response(R"({"token":""})"), "");
  EXPECT_EQ(token_from_response("not json"), "");
}

TEST(RegistryPlatform, Parse) {
  EXPECT_EQ(parse_platform("linux/amd64").str(), "linux/amd64");
  EXPECT_EQ(parse_platform("linux/arm64/v8").str(), "linux/arm64/v8");
  EXPECT_EQ(parse_platform("x86_64").str(), "linux/amd64");
  EXPECT_EQ(parse_platform("linux/aarch64").str(), "linux/arm64");
  EXPECT_THROW(parse_platform("linux//amd64"), Error);
  EXPECT_THROW(parse_platform("a/b/c/d"), Error);
  EXPECT_THROW(parse_platform("linux/am d64"), Error);
  EXPECT_EQ(host_platform().os, "linux");
  EXPECT_FALSE(host_platform().arch.empty());
}

const char* kIndex = R"({"schemaVersion":2,"manifests":[
  {"mediaType":"application/vnd.oci.image.manifest.v1+json","size":1,
   "digest":"sha256:1111111111111111111111111111111111111111111111111111111111111111",
   "platform":{"os":"linux","architecture":"arm64"}},
  {"mediaType":"application/vnd.oci.image.manifest.v1+json","size":1,
   "digest":"sha256:2222222222222222222222222222222222222222222222222222222222222222",
   "platform":{"os":"linux","architecture":"amd64"}},
  {"mediaType":"application/vnd.oci.image.manifest.v1+json","size":1,
   "digest":"sha256:3333333333333333333333333333333333333333333333333333333333333333",
   "platform":{"os":"linux","architecture":"arm","variant":"v7"}}]})";

TEST(RegistryPlatform, SelectManifest) {
  EXPECT_EQ(select_manifest(kIndex, parse_platform("linux/amd64"), "x").substr(7, 4), "2222");
  EXPECT_EQ(select_manifest(kIndex, parse_platform("linux/arm64"), "x").substr(7, 4), "1111");
  // arm64 without a variant is v8.
  EXPECT_EQ(select_manifest(kIndex, parse_platform("linux/arm64/v8"), "x").substr(7, 4), "1111");
  EXPECT_EQ(select_manifest(kIndex, parse_platform("linux/arm/v7"), "x").substr(7, 4), "3333");
  try {
    select_manifest(kIndex, parse_platform("linux/s390x"), "img:1");
    FAIL() << "no error";
  } catch (const NotFound& e) {
    EXPECT_EQ(std::string(e.what()),
              "no matching manifest for linux/s390x in the manifest list entries of img:1");
  }
  EXPECT_THROW(select_manifest(R"({"manifests":5})", parse_platform("linux/amd64"), "x"), Error);
  // A matching entry with a digest that could name a file elsewhere is refused.
  EXPECT_THROW(
      select_manifest(
          R"({"manifests":[{"digest":"sha256:../../x","size":1,"platform":{"os":"linux","architecture":"amd64"}}]})",
          parse_platform("linux/amd64"), "x"),
      Error);
}

TEST(RegistryEndpoint, DomainAndPath) {
  auto r = engine::image::parse_reference("busybox");
  EXPECT_EQ(reference_domain(r), "docker.io");
  EXPECT_EQ(reference_path(r), "library/busybox");
  r = engine::image::parse_reference("localhost:5000/a/b:1");
  EXPECT_EQ(reference_domain(r), "localhost:5000");
  EXPECT_EQ(reference_path(r), "a/b");
  r = engine::image::parse_reference("quay.io/org/img@sha256:" + std::string(64, 'a'));
  EXPECT_EQ(reference_domain(r), "quay.io");
  EXPECT_EQ(reference_path(r), "org/img");
}

struct TempConfigDir {
  std::filesystem::path dir;
  TempConfigDir() {
    dir = std::filesystem::temp_directory_path() /
          ("berth-regcfg-" + std::to_string(::getpid()) + "-" +
           std::to_string(reinterpret_cast<uintptr_t>(this)));
    std::filesystem::create_directories(dir);
  }
  ~TempConfigDir() { std::filesystem::remove_all(dir); }
};

TEST(RegistryEndpoint, InsecureDefaultsFlagsAndFile) {
  TempConfigDir t;
  ConfigDirs dirs{t.dir, t.dir / "docker"};
  {
    std::ofstream(t.dir / "registries.json")
        << R"({"insecure-registries": ["10.1.0.0/16", "reg.local:5000"]})";
  }
  auto c = RegistryConfig::load(dirs, {"http://my.registry/"});
  EXPECT_TRUE(c.is_insecure("127.0.0.1:5000"));
  EXPECT_TRUE(c.is_insecure("localhost:5000"));
  EXPECT_TRUE(c.is_insecure("[::1]:5000"));
  EXPECT_TRUE(c.is_insecure("10.1.2.3"));
  EXPECT_FALSE(c.is_insecure("10.2.0.1"));
  EXPECT_TRUE(c.is_insecure("reg.local:5000"));
  EXPECT_FALSE(c.is_insecure("reg.local:6000"));
  EXPECT_TRUE(c.is_insecure("my.registry"));
  EXPECT_FALSE(c.is_insecure("docker.io"));

  auto hub = c.endpoints("docker.io");
  ASSERT_EQ(hub.size(), 1u);
  EXPECT_EQ(hub[0].base_url, "https://registry-1.docker.io");
  EXPECT_TRUE(hub[0].verify_tls);
  auto local = c.endpoints("127.0.0.1:5000");
  ASSERT_EQ(local.size(), 2u);
  EXPECT_EQ(local[0].base_url, "https://127.0.0.1:5000");
  EXPECT_FALSE(local[0].verify_tls);
  EXPECT_EQ(local[1].base_url, "http://127.0.0.1:5000");
}

TEST(RegistryEndpoint, CertsDirCAs) {
  TempConfigDir t;
  ConfigDirs dirs{t.dir, t.dir / "docker"};
  std::filesystem::create_directories(t.dir / "certs.d" / "reg.example:443");
  std::ofstream(t.dir / "certs.d" / "reg.example:443" / "ca.crt") << "x";
  std::ofstream(t.dir / "certs.d" / "reg.example:443" / "client.cert") << "x";
  auto c = RegistryConfig::load(dirs, {});
  auto e = c.endpoints("reg.example:443");
  ASSERT_EQ(e.size(), 1u);
  ASSERT_EQ(e[0].ca_files.size(), 1u);
  EXPECT_EQ(e[0].ca_files[0].filename(), "ca.crt");
  EXPECT_EQ(e[0].client_cert.filename(), "client.cert");
  EXPECT_EQ(e[0].client_key.filename(), "client.key");
}

TEST(RegistryEndpoint, MalformedConfigNamesTheFile) {
  TempConfigDir t;
  std::ofstream(t.dir / "registries.json") << R"({"insecure-registries": "x"})";
  try {
    RegistryConfig::load({t.dir, t.dir}, {});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("registries.json"), std::string::npos) << e.what();
  }
}

TEST(RegistryProgress, Bar) {
  EXPECT_EQ(cli::format::progress_bar(0, 100),
            "[>                                                 ]       0B/100B");
  EXPECT_EQ(cli::format::progress_bar(50, 100).substr(0, 28), "[=========================> ");
  EXPECT_EQ(cli::format::progress_bar(100, 100).substr(0, 52),
            "[==================================================]");
  EXPECT_EQ(cli::format::progress_bar(5, 0), "5B");
}

}  // namespace
}  // namespace berth::registry
