// berth push / pull / login / logout against a real registry on loopback (Debian's
// docker-registry, tests/support/local_registry.h): round trips keep the image ID and the
// manifest digest, output is Docker's, credentials are kept 0600, and TLS is verified with the
// registry's CA from certs.d. Skipped where docker-registry is not installed.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>

#include "tests/integration/registry/registry_support.h"

namespace berth::test {
namespace {

namespace fs = std::filesystem;

class RegistryPushPull : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!is_root()) GTEST_SKIP() << "needs root";
  }

  // Imports busybox and tags it REGISTRY/test/busybox:1; returns that reference.
  std::string tagged_busybox(const LocalRegistry& reg, const std::string& repo = "test/busybox") {
    st.import_busybox();
    std::string ref = reg.authority() + "/" + repo + ":1";
    auto r = st.berth({"tag", "busybox", ref});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return ref;
  }

  // berth push; returns the digest it printed (EXPECTs Docker's lines).
  std::string push(const LocalRegistry& reg, const std::string& ref, const std::string& repo) {
    auto r = st.berth({"push", ref}, "", kTransferTimeout);
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("The push refers to repository [" + reg.authority() + "/" + repo + "]"),
              std::string::npos)
        << r.out;
    EXPECT_GE(
        lines_matching(r.out, "^[0-9a-f]{12}: (Pushed|Layer already exists|Mounted from .*)$"), 1)
        << r.out;
    std::string digest = push_digest(r.out, "1");
    EXPECT_FALSE(digest.empty()) << "no \"1: digest: sha256:... size: N\" line in:\n" << r.out;
    return digest;
  }

  // Removes every image, so the next pull has to fetch everything.
  void remove_all_images() {
    auto ids = st.berth({"images", "-a", "-q"});
    std::istringstream in(ids.out);
    std::vector<std::string> args = {"rmi", "-f"};
    for (std::string id; in >> id;) args.push_back(id);
    if (args.size() > 2) {
      auto r = st.berth(args);
      EXPECT_EQ(r.exit_code, 0) << r.err;
    }
    EXPECT_EQ(trimmed(st.berth({"images", "-a", "-q"}).out), "");
  }

  TempState st;
};

// Push busybox, remove it, pull it back: same image ID, same manifest digest (as the registry
// has it too), Docker's output; the image runs. A second pull is up to date and fetches no
// blob; a pull by digest and a quiet pull print what Docker prints.
TEST_F(RegistryPushPull, RoundTripWithoutAuth) {
  auto reg = LocalRegistry::start();
  if (!reg) return;
  std::string ref = tagged_busybox(*reg);
  std::string id = image_id(st, "busybox");
  ASSERT_FALSE(id.empty());

  std::string digest = push(*reg, ref, "test/busybox");
  ASSERT_FALSE(digest.empty());
  // The registry serves that manifest under that digest.
  auto head = reg->curl("/v2/test/busybox/manifests/1",
                        {"-I", "-H",
                         "Accept: application/vnd.oci.image.manifest.v1+json, "
                         "application/vnd.docker.distribution.manifest.v2+json"});
  EXPECT_NE(head.out.find("Docker-Content-Digest: " + digest), std::string::npos) << head.out;

  // A second push finds every layer there.
  auto again = st.berth({"push", ref}, "", kTransferTimeout);
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(lines_matching(again.out, ": Pushed$"), 0) << again.out;
  EXPECT_GE(lines_matching(again.out, "^[0-9a-f]{12}: Layer already exists$"), 1) << again.out;
  EXPECT_EQ(push_digest(again.out, "1"), digest) << again.out;

  remove_all_images();
  auto r = st.berth({"pull", ref}, "", kTransferTimeout);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("1: Pulling from test/busybox\n"), std::string::npos) << r.out;
  EXPECT_GE(lines_matching(r.out, "^[0-9a-f]{12}: Pull complete$"), 1) << r.out;
  EXPECT_EQ(pull_digest(r.out), digest) << r.out;
  EXPECT_NE(r.out.find("Status: Downloaded newer image for " + ref + "\n"), std::string::npos)
      << r.out;
  EXPECT_EQ(last_line(r.out), ref) << r.out;
  EXPECT_EQ(image_id(st, ref), id);
  EXPECT_EQ(stored_manifest_digest(st, ref), digest);
  auto run = st.berth({"run", "--rm", ref, "echo", "pulled ok"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "pulled ok\n");

  // Up to date: no blob is fetched again.
  int blob_gets = reg->count_requests("GET", "/blobs/");
  auto second = st.berth({"pull", ref}, "", kTransferTimeout);
  EXPECT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.out.find("Status: Image is up to date for " + ref + "\n"), std::string::npos)
      << second.out;
  EXPECT_EQ(lines_matching(second.out, "Pull complete"), 0) << second.out;
  EXPECT_EQ(reg->count_requests("GET", "/blobs/"), blob_gets) << reg->log();

  // -q: only the reference.
  auto quiet = st.berth({"pull", "-q", ref}, "", kTransferTimeout);
  EXPECT_EQ(quiet.exit_code, 0) << quiet.err;
  EXPECT_EQ(quiet.out, ref + "\n");

  // By digest: NAME@DIGEST, the same image.
  remove_all_images();
  std::string by_digest = reg->authority() + "/test/busybox@" + digest;
  auto d = st.berth({"pull", by_digest}, "", kTransferTimeout);
  EXPECT_EQ(d.exit_code, 0) << d.out << d.err;
  EXPECT_EQ(last_line(d.out), by_digest) << d.out;
  EXPECT_EQ(image_id(st, by_digest), id);
}

// Two images sharing busybox's layer: pushed to two repositories, the shared layer is mounted
// from the first instead of uploaded again; pulled back, the second pull finds it "Already
// exists" (and only that: Docker prints no "Pull complete" for it) and fetches only its own
// layer.
TEST_F(RegistryPushPull, SharedLayersMountedAndAlreadyExist) {
  auto reg = LocalRegistry::start();
  if (!reg) return;
  std::string a = tagged_busybox(*reg, "test/a");
  std::string c = unique_name("regc");
  auto run = st.berth({"run", "--name", c, "busybox", "sh", "-c", "echo layer2 > /added"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  std::string b = reg->authority() + "/test/b:1";
  auto commit = st.berth({"commit", c, b});
  ASSERT_EQ(commit.exit_code, 0) << commit.err;
  ASSERT_EQ(st.berth({"rm", c}).exit_code, 0);
  std::string id_b = image_id(st, b);

  push(*reg, a, "test/a");
  auto pb = st.berth({"push", b}, "", kTransferTimeout);
  ASSERT_EQ(pb.exit_code, 0) << pb.out << pb.err;
  EXPECT_EQ(lines_matching(pb.out, "^[0-9a-f]{12}: Mounted from test/a$"), 1) << pb.out;
  EXPECT_EQ(lines_matching(pb.out, "^[0-9a-f]{12}: Pushed$"), 1) << pb.out;
  EXPECT_EQ(reg->count_requests("POST", "/v2/test/b/blobs/uploads/?mount="), 1) << reg->log();

  remove_all_images();
  ASSERT_EQ(st.berth({"pull", a}, "", kTransferTimeout).exit_code, 0);
  int blob_gets = reg->count_requests("GET", "/blobs/");
  auto pulled = st.berth({"pull", b}, "", kTransferTimeout);
  ASSERT_EQ(pulled.exit_code, 0) << pulled.out << pulled.err;
  EXPECT_EQ(lines_matching(pulled.out, "^[0-9a-f]{12}: Already exists$"), 1) << pulled.out;
  EXPECT_EQ(lines_matching(pulled.out, "^[0-9a-f]{12}: Pull complete$"), 1) << pulled.out;
  // Its own layer and its config.
  EXPECT_EQ(reg->count_requests("GET", "/blobs/") - blob_gets, 2) << reg->log();
  EXPECT_EQ(image_id(st, b), id_b);
  auto cat = st.berth({"run", "--rm", b, "cat", "/added"});
  EXPECT_EQ(cat.out, "layer2\n") << cat.err;
}

// pull -a: every tag of the repository, and Docker's summary.
TEST_F(RegistryPushPull, AllTags) {
  auto reg = LocalRegistry::start();
  if (!reg) return;
  std::string one = tagged_busybox(*reg);
  std::string repo = reg->authority() + "/test/busybox";
  ASSERT_EQ(st.berth({"tag", "busybox", repo + ":2"}).exit_code, 0);
  push(*reg, one, "test/busybox");
  auto p2 = st.berth({"push", repo + ":2"}, "", kTransferTimeout);
  ASSERT_EQ(p2.exit_code, 0) << p2.err;
  remove_all_images();
  auto r = st.berth({"pull", "-a", repo}, "", kTransferTimeout);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_FALSE(image_id(st, repo + ":1").empty()) << r.out;
  EXPECT_FALSE(image_id(st, repo + ":2").empty()) << r.out;
  // Docker (20.10, against this registry) ends with one status for the repository, then its
  // name: "Status: Downloaded newer image for HOST/test/busybox", "HOST/test/busybox".
  EXPECT_EQ(lines_matching(r.out, "^Status: "), 1) << r.out;
  EXPECT_NE(r.out.find("Status: Downloaded newer image for " + repo + "\n"), std::string::npos)
      << r.out;
  EXPECT_EQ(last_line(r.out), repo) << r.out;
  auto bad = st.berth({"pull", "-a", repo + ":1"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("tag can't be used with --all-tags/-a"), std::string::npos) << bad.err;
}

// Credentials from Docker's config ($DOCKER_CONFIG/config.json "auths"), no berth login.
TEST_F(RegistryPushPull, DockerConfigCredentials) {
  auto reg = LocalRegistry::start({.tls = false, .user = "dockeruser", .password = "dpw"});
  if (!reg) return;
  std::string ref = tagged_busybox(*reg);
  fs::create_directories(st.docker_config());
  // base64("dockeruser:dpw")
  std::ofstream(st.docker_config() / "config.json")
      << R"({"auths":{")" << reg->authority() << R"(":{"auth":"ZG9ja2VydXNlcjpkcHc="}}})";
  push(*reg, ref, "test/busybox");
  remove_all_images();
  auto r = st.berth({"pull", ref}, "", kTransferTimeout);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_FALSE(fs::exists(st.berth_config() / "auth.json"));
}

// A tag the registry does not have: exit 1 and Docker's one line.
TEST_F(RegistryPushPull, MissingTagIsNotFound) {
  auto reg = LocalRegistry::start();
  if (!reg) return;
  auto r = st.berth({"pull", reg->authority() + "/test/none:nope"}, "", kTransferTimeout);
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_TRUE(one_line(r.err)) << r.err;
  EXPECT_NE(r.err.find("not found"), std::string::npos) << r.err;
  EXPECT_EQ(trimmed(st.berth({"images", "-a", "-q"}).out), "");
}

// Basic auth (htpasswd): without a login a push is refused; a wrong password fails with exit 1
// and one line that never shows the password, storing nothing; --password-stdin logs in,
// auth.json is 0600 and holds the registry's entry, push and pull then work; logout removes it.
TEST_F(RegistryPushPull, HtpasswdLoginPushPullLogout) {
  auto reg = LocalRegistry::start({.tls = false, .user = "tester", .password = "s3cret-pw"});
  if (!reg) return;
  std::string ref = tagged_busybox(*reg);
  std::string id = image_id(st, "busybox");
  fs::path auth = st.berth_config() / "auth.json";

  auto anon = st.berth({"push", ref}, "", kTransferTimeout);
  EXPECT_NE(anon.exit_code, 0) << anon.out;
  EXPECT_EQ(reg->count_requests("PUT", "/manifests/"), 0) << reg->log();

  auto wrong = st.berth({"login", "-u", "tester", "-p", "not-the-password", reg->authority()});
  EXPECT_EQ(wrong.exit_code, 1) << wrong.out << wrong.err;
  EXPECT_TRUE(one_line(std::regex_replace(wrong.err,
                                          std::regex("WARNING! Using --password via the CLI is "
                                                     "insecure. Use --password-stdin.\n"),
                                          "")))
      << wrong.err;
  EXPECT_TRUE(std::regex_search(wrong.err, std::regex("401|[Uu]nauthorized"))) << wrong.err;
  EXPECT_EQ(wrong.err.find("not-the-password"), std::string::npos) << wrong.err;
  EXPECT_EQ(wrong.out.find("Login Succeeded"), std::string::npos) << wrong.out;
  EXPECT_EQ(read_all(auth).find(reg->authority()), std::string::npos) << read_all(auth);

  auto ok =
      st.berth({"login", "-u", "tester", "--password-stdin", reg->authority()}, "s3cret-pw\n");
  ASSERT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  EXPECT_NE(ok.out.find("Login Succeeded"), std::string::npos) << ok.out;
  ASSERT_TRUE(fs::exists(auth));
  EXPECT_EQ(file_mode(auth), 0600);
  std::string stored = read_all(auth);
  EXPECT_NE(stored.find("\"" + reg->authority() + "\""), std::string::npos) << stored;
  EXPECT_EQ(stored.find("s3cret-pw"), std::string::npos) << "the password in clear text";
  EXPECT_EQ(ok.out.find("s3cret-pw"), std::string::npos) << ok.out;
  EXPECT_EQ(ok.err.find("s3cret-pw"), std::string::npos) << ok.err;

  std::string digest = push(*reg, ref, "test/busybox");
  remove_all_images();
  auto pulled = st.berth({"pull", ref}, "", kTransferTimeout);
  ASSERT_EQ(pulled.exit_code, 0) << pulled.out << pulled.err;
  EXPECT_EQ(pull_digest(pulled.out), digest);
  EXPECT_EQ(image_id(st, ref), id);

  auto out = st.berth({"logout", reg->authority()});
  EXPECT_EQ(out.exit_code, 0) << out.err;
  EXPECT_NE(out.out.find("Removing login credentials for " + reg->authority()), std::string::npos)
      << out.out;
  EXPECT_EQ(read_all(auth).find(reg->authority()), std::string::npos) << read_all(auth);
  remove_all_images();
  auto denied = st.berth({"pull", ref}, "", kTransferTimeout);
  EXPECT_EQ(denied.exit_code, 1) << denied.out;
  EXPECT_TRUE(one_line(denied.err)) << denied.err;
}

// Verified TLS on loopback. Loopback registries are insecure by default, as in Docker (HTTPS
// without verification, then HTTP), so a pull from 127.0.0.1 would succeed whatever the CA and
// prove nothing. Addressing the registry by a name that is not loopback needs DNS or
// /etc/hosts, both host-wide. So these tests set BERTH_NO_DEFAULT_INSECURE=1
// (RegistryConfig::load), which drops the loopback default: 127.0.0.1:PORT is then verified
// like any remote registry. With the test CA in certs.d/127.0.0.1:PORT/ca.crt push and pull
// work; with another CA, or none, they are refused naming the certificate problem, and never
// fall back to plain HTTP; --insecure-registry 127.0.0.1:PORT still reaches it.
TEST_F(RegistryPushPull, TlsWithTestCa) {
  auto reg = LocalRegistry::start({.tls = true});
  if (!reg) return;
  st.set_env("BERTH_NO_DEFAULT_INSECURE", "1");
  std::string ref = tagged_busybox(*reg);
  std::string id = image_id(st, "busybox");

  // No CA: the certificate is not trusted.
  auto untrusted = st.berth({"push", ref}, "", kTransferTimeout);
  EXPECT_EQ(untrusted.exit_code, 1) << untrusted.out;
  EXPECT_TRUE(one_line(untrusted.err)) << untrusted.err;
  EXPECT_TRUE(std::regex_search(untrusted.err, std::regex("certificate|x509|SSL|TLS|verif")))
      << untrusted.err;
  // A CA that did not sign it: refused too.
  reg->trust_in(st, /*wrong_ca=*/true);
  auto wrong = st.berth({"push", ref}, "", kTransferTimeout);
  EXPECT_EQ(wrong.exit_code, 1) << wrong.out;
  EXPECT_TRUE(std::regex_search(wrong.err, std::regex("certificate|x509|SSL|TLS|verif")))
      << wrong.err;
  EXPECT_EQ(reg->count_requests("PUT", "/manifests/"), 0) << reg->log();

  // The right CA: push, remove, pull.
  reg->trust_in(st);
  std::string digest = push(*reg, ref, "test/busybox");
  remove_all_images();
  auto pulled = st.berth({"pull", ref}, "", kTransferTimeout);
  ASSERT_EQ(pulled.exit_code, 0) << pulled.out << pulled.err;
  EXPECT_EQ(pull_digest(pulled.out), digest);
  EXPECT_EQ(image_id(st, ref), id);

  // The wrong CA again, but the registry named insecure: verification is skipped.
  reg->trust_in(st, /*wrong_ca=*/true);
  remove_all_images();
  auto insecure =
      st.berth({"--insecure-registry", reg->authority(), "pull", ref}, "", kTransferTimeout);
  EXPECT_EQ(insecure.exit_code, 0) << insecure.out << insecure.err;
  EXPECT_EQ(image_id(st, ref), id);
}

// Without the knob, loopback is insecure as in Docker: TLS with an unknown CA still works.
TEST_F(RegistryPushPull, TlsLoopbackInsecureByDefault) {
  auto reg = LocalRegistry::start({.tls = true});
  if (!reg) return;
  std::string ref = tagged_busybox(*reg);
  auto r = st.berth({"push", ref}, "", kTransferTimeout);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(reg->count_requests("PUT", "/manifests/"), 1) << reg->log();
}

}  // namespace
}  // namespace berth::test
