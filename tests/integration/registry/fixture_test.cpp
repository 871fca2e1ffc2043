// The registry fixtures themselves (tests/support/local_registry.h), checked with curl and
// skopeo so that a failing berth test is berth's failure: the registry answers /v2/, asks for
// credentials when it has htpasswd auth, serves TLS that verifies with its test CA only, is
// gone with its files after the destructor, and logs what it served.
#include <gtest/gtest.h>
#include <signal.h>

#include "tests/integration/registry/registry_support.h"

namespace berth::test {
namespace {

namespace fs = std::filesystem;

TEST(RegistryFixture, PlainRegistryAnswersAndCleansUp) {
  fs::path dir;
  int port = 0;
  {
    auto reg = LocalRegistry::start();
    if (!reg) return;
    dir = reg->dir();
    port = reg->port();
    auto r = reg->curl("/v2/", {"-o", "/dev/null", "-w", "%{http_code}"});
    EXPECT_EQ(r.out, "200") << r.err;
    EXPECT_GE(reg->count_requests("GET", "/v2/"), 1) << reg->log();
    EXPECT_EQ(reg->count_requests("GET", "/blobs/"), 0);
  }
  EXPECT_FALSE(fs::exists(dir));
  auto gone = run_command({"/usr/bin/curl", "-s", "-o", "/dev/null", "--max-time", "2",
                           "http://127.0.0.1:" + std::to_string(port) + "/v2/"});
  EXPECT_NE(gone.exit_code, 0) << "still answering on port " << port;
}

TEST(RegistryFixture, HtpasswdAuth) {
  auto reg = LocalRegistry::start({.tls = false, .user = "u1", .password = "p1"});
  if (!reg) return;
  auto with = reg->curl("/v2/", {"-o", "/dev/null", "-w", "%{http_code}"});
  EXPECT_EQ(with.out, "200");
  auto without = run_command(
      {"/usr/bin/curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", reg->url("/v2/")});
  EXPECT_EQ(without.out, "401");
  auto wrong = run_command({"/usr/bin/curl", "-s", "-u", "u1:nope", "-o", "/dev/null", "-w",
                            "%{http_code}", reg->url("/v2/")});
  EXPECT_EQ(wrong.out, "401");
}

TEST(RegistryFixture, TlsVerifiesWithItsCaOnly) {
  auto reg = LocalRegistry::start({.tls = true});
  if (!reg) return;
  EXPECT_EQ(reg->url("/v2/").rfind("https://127.0.0.1:", 0), 0u);
  auto ok = reg->curl("/v2/", {"-o", "/dev/null", "-w", "%{http_code}"});
  EXPECT_EQ(ok.out, "200") << ok.err;
  auto by_name = run_command({"/usr/bin/curl", "-sS", "--cacert", reg->ca_cert().string(), "-o",
                              "/dev/null", "-w", "%{http_code}",
                              "https://localhost:" + std::to_string(reg->port()) + "/v2/"});
  EXPECT_EQ(by_name.out, "200") << by_name.err;
  auto wrong = run_command({"/usr/bin/curl", "-sS", "--cacert", reg->other_ca_cert().string(), "-o",
                            "/dev/null", reg->url("/v2/")});
  EXPECT_EQ(wrong.exit_code, 60) << wrong.err;  // CURLE_PEER_FAILED_VERIFICATION
  TempState st;
  reg->trust_in(st);
  EXPECT_EQ(read_all(st.berth_config() / "certs.d" / reg->authority() / "ca.crt"),
            read_all(reg->ca_cert()));
}

// skopeo pushes busybox (from berth save) into the registry and reads it back: what the
// interop and bench code relies on works without berth's client.
TEST(RegistryFixture, SkopeoRoundTrip) {
  if (!is_root()) GTEST_SKIP() << "needs root";
  std::string skopeo = skopeo_path();
  if (skopeo.empty()) GTEST_SKIP() << "skopeo is not installed";
  auto reg = LocalRegistry::start({.tls = true, .user = "u", .password = "p"});
  if (!reg) return;
  TempState st;
  st.import_busybox();
  fs::path archive = st.dir() / "bb.tar";
  ASSERT_EQ(st.berth({"save", "-o", archive.string(), "busybox"}).exit_code, 0);
  fs::path certs = st.dir() / "skopeo-certs";
  fs::create_directories(certs);
  fs::copy_file(reg->ca_cert(), certs / "ca.crt");
  std::string ref = "docker://" + reg->authority() + "/fixture/busybox:1";
  auto push = run_command_env({skopeo, "copy", "--dest-cert-dir", certs.string(), "--dest-creds",
                               "u:p", "docker-archive:" + archive.string(), ref},
                              {"TMPDIR=" + st.dir().string()}, "", kTransferTimeout);
  ASSERT_EQ(push.exit_code, 0) << push.err;
  EXPECT_EQ(reg->count_requests("PUT", "/manifests/1"), 1) << reg->log();
  auto tags = reg->curl("/v2/fixture/busybox/tags/list");
  EXPECT_NE(tags.out.find("\"1\""), std::string::npos) << tags.out;
  fs::path out = st.dir() / "out";
  auto pull = run_command_env({skopeo, "copy", "--src-cert-dir", certs.string(), "--src-creds",
                               "u:p", ref, "dir:" + out.string()},
                              {"TMPDIR=" + st.dir().string()}, "", kTransferTimeout);
  ASSERT_EQ(pull.exit_code, 0) << pull.err;
  std::string id = image_id(st, "busybox");
  EXPECT_TRUE(fs::exists(out / id.substr(7))) << id;
  EXPECT_GE(reg->count_requests("GET", "/blobs/"), 2) << reg->log();
}

}  // namespace
}  // namespace berth::test
