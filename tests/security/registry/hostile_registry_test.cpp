// berth pull from a registry that lies or stalls (tests/support/hostile_registry.h): a blob
// whose bytes do not match its digest, a body cut short, a manifest announcing a 10 GiB layer,
// a layer escaping its directory, a redirect loop, a token endpoint that never answers. Each is
// refused with exit 1 and one line naming the problem, within a bounded time, and the store is
// as it was: the same images, no new blob, layer or mount.
#include <gtest/gtest.h>

#include <sys/mount.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <iostream>
#include <regex>
#include <set>
#include <sstream>

#include "tests/support/harness.h"
#include "tests/support/hostile_registry.h"

namespace berth::test {
namespace {

namespace fs = std::filesystem;
using Fault = HostileRegistry::Fault;

// Every fault must end well before this (the idle timeout below is 5 s).
constexpr int kBoundSeconds = 60;
// Where a download interrupted by the network may stay, for a later pull to resume (pull.h):
// allowed after a transport fault, never after a content fault (a digest mismatch, a layer
// refused when unpacked).
const char* const kPartials = "^images/partial/";

// The files below the store's content dirs, relative to the root.
std::set<std::string> store_files(const fs::path& root) {
  std::set<std::string> out;
  for (const char* sub : {"images", "layers"}) {
    std::error_code ec;
    if (!fs::exists(root / sub, ec)) continue;
    for (auto it = fs::recursive_directory_iterator(root / sub, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (it->is_symlink(ec) || !it->is_directory(ec))
        out.insert(fs::relative(it->path(), root).string());
    }
  }
  return out;
}

std::vector<std::string> mounts_below(const fs::path& dir) {
  std::ifstream in("/proc/self/mountinfo");
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) {
    std::istringstream ss(line);
    std::string id, parent, devno, root, target;
    ss >> id >> parent >> devno >> root >> target;
    if (target.rfind(dir.string(), 0) == 0) out.push_back(target);
  }
  return out;
}

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// What a file left in the store is: its size, and for a blob whether its bytes match its name
// and which of the image's blobs it is.
std::string describe(const fs::path& p, const HostileRegistry& reg) {
  std::string bytes = read_all(p);
  std::string out = " (" + std::to_string(bytes.size()) + " bytes";
  std::string name = "sha256:" + p.filename().string();
  if (p.parent_path().filename() == "sha256")
    out +=
        sha256_digest(bytes) == name ? ", content matches its digest" : ", content does NOT match";
  if (name == reg.layer_digest()) out += ", the layer";
  if (name == reg.config_digest()) out += ", the config";
  return out + ")";
}

class RegistryHostile : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!is_root()) GTEST_SKIP() << "needs root";
    // The client's connect and idle timeout, in seconds, so a stalled server costs seconds.
    st.set_env("BERTH_REGISTRY_TIMEOUT", "5");
    st.import_busybox();
    images_before = st.berth({"images", "-a", "-q"}).out;
    files_before = store_files(st.root());
    mounts_before = mounts_below(st.dir());
  }

  // Pulls reg's image; EXPECTs a refusal whose one-line error matches pattern, within the
  // bound, the store unchanged (new files allowed only where allow_new matches).
  void expect_refused(HostileRegistry& reg, const std::string& pattern,
                      const std::string& allow_new = "") {
    auto start = std::chrono::steady_clock::now();
    auto r = st.berth({"pull", reg.reference()}, "", kBoundSeconds + 30);
    auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_LT(seconds, kBoundSeconds) << r.err << "\nrequests:\n" << reg.requests();
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err << "\nrequests:\n" << reg.requests();
    std::string err = trimmed(r.err);
    EXPECT_FALSE(err.empty());
    EXPECT_EQ(err.find('\n'), std::string::npos) << "not one line:\n" << r.err;
    EXPECT_TRUE(std::regex_search(err, std::regex(pattern, std::regex::icase)))
        << "error does not name the problem (/" << pattern << "/): " << err;
    EXPECT_EQ(r.out.find("Status: Downloaded"), std::string::npos) << r.out;
    std::cout << "[ refused  ] exit " << r.exit_code << " in " << seconds << " s: " << err << "\n";

    EXPECT_EQ(st.berth({"images", "-a", "-q"}).out, images_before);
    auto files_after = store_files(st.root());
    for (const auto& f : files_after)
      if (!files_before.count(f)) {
        bool allowed = !allow_new.empty() && std::regex_search(f, std::regex(allow_new));
        EXPECT_TRUE(allowed) << "new file in the store: " << f << describe(st.root() / f, reg);
      }
    for (const auto& f : files_before) EXPECT_TRUE(files_after.count(f)) << "removed: " << f;
    for (const auto& m : mounts_below(st.dir()))
      EXPECT_TRUE(std::find(mounts_before.begin(), mounts_before.end(), m) != mounts_before.end())
          << "a mount stayed: " << m;
  }

  TempState st;
  std::string images_before;
  std::set<std::string> files_before;
  std::vector<std::string> mounts_before;
};

// Another sound layer of the same size is served for the digest: refused on its digest (the
// blob's, or the unpacked tar's diff ID, whichever berth checks first), nothing kept.
TEST_F(RegistryHostile, DigestMismatchRefused) {
  HostileRegistry reg(Fault::kDigestMismatch);
  expect_refused(reg, "digest|diff ID|verification failed|checksum");
}

// The same tar in a gzip that differs in one header byte: the unpacked content is right, only
// the blob's digest is not. Docker: "filesystem layer verification failed for digest".
TEST_F(RegistryHostile, BlobDigestMismatchRefused) {
  HostileRegistry reg(Fault::kBlobDigestOnly);
  expect_refused(reg, "digest");
}

// The body stops halfway and the connection closes. A partial download may stay for a later
// resume (pull.h), but no blob or layer.
TEST_F(RegistryHostile, TruncatedBodyRefused) {
  HostileRegistry reg(Fault::kTruncated);
  expect_refused(reg, "truncat|short|unexpected (EOF|end)|incomplete|partial|closed|remaining",
                 kPartials);
}

// The manifest announces a 10 GiB layer and the server stalls after 1 MiB of it. berth
// checks a pull's layer sizes against the store's free space, so the store is put on a 256 MiB
// tmpfs: the pull is refused before any layer byte is fetched. (Where the store has 10 GiB
// free, berth starts the download and this server's stall ends it on the idle timeout.)
class RegistryHostileSmallStore : public RegistryHostile {
 protected:
  void SetUp() override {
    if (!is_root()) GTEST_SKIP() << "needs root";
    fs::create_directories(st.root());
    ASSERT_EQ(::mount("tmpfs", st.root().c_str(), "tmpfs", 0, "size=256m,mode=0700"), 0)
        << std::strerror(errno);
    RegistryHostile::SetUp();
  }
};

TEST_F(RegistryHostileSmallStore, HugeLayerRefused) {
  HostileRegistry reg(Fault::kHugeLayer);
  expect_refused(reg, "too (large|big)|exceeds|larger than|space|free");
  EXPECT_TRUE(reg.layer_ranges().empty()) << "the layer was requested:\n" << reg.requests();
}

// More bytes than the descriptor's size: the download stops there and is refused.
TEST_F(RegistryHostile, OversizedBodyRefused) {
  HostileRegistry reg(Fault::kOversizedBody);
  expect_refused(reg, "more than|too (large|big|long)|exceeds|larger|size|bytes");
}

// An 8 MiB manifest (the limit is 4 MiB): refused without reading it all.
TEST_F(RegistryHostile, HugeManifestRefused) {
  HostileRegistry reg(Fault::kHugeManifest);
  expect_refused(reg, "too (large|big)|exceeds|limit|larger|MiB|bytes");
}

// A body cut short, then a second pull from the mended registry: it resumes the partial
// download with a Range request and ends with the image.
TEST_F(RegistryHostile, TruncatedThenResumes) {
  HostileRegistry reg(Fault::kTruncated);
  auto first = st.berth({"pull", reg.reference()}, "", kBoundSeconds);
  EXPECT_EQ(first.exit_code, 1) << first.out << first.err;
  reg.set_fault(Fault::kNone);
  auto second = st.berth({"pull", reg.reference()}, "", kBoundSeconds);
  ASSERT_EQ(second.exit_code, 0) << second.out << second.err << reg.requests();
  auto ranges = reg.layer_ranges();
  ASSERT_GE(ranges.size(), 2u) << reg.requests();
  EXPECT_TRUE(std::regex_match(ranges.back(), std::regex("bytes=[1-9][0-9]*-")))
      << "the second download did not resume: Range `" << ranges.back() << "`";
  auto id = st.berth({"image", "inspect", "--format", "{{.Id}}", reg.reference()});
  EXPECT_EQ(trimmed(id.out), reg.config_digest());
  std::error_code ec;
  EXPECT_TRUE(fs::is_empty(st.root() / "images" / "partial", ec) || ec)
      << "a partial download stayed after the pull completed";
}

// A layer with a ../ entry: refused (the extractor's "path contains \"..\""), nothing written
// outside the layer.
TEST_F(RegistryHostile, PathTraversalLayerRefused) {
  fs::path target = fs::temp_directory_path() / unique_name("berth-escape-");
  std::string up;
  for (int i = 0; i < 16; ++i) up += "../";
  HostileRegistry reg(Fault::kPathTraversal,
                      {{"ok.txt", '0', "fine\n", "", 0644},
                       {up + target.relative_path().string(), '0', "escaped\n", "", 0644}});
  expect_refused(reg, "\\.\\.|travers|outside|escape|invalid path|unsafe");
  std::error_code ec;
  EXPECT_FALSE(fs::exists(target, ec)) << "the layer wrote " << target;
  fs::remove(target, ec);
}

// A layer that plants a symlink to a host directory and then writes through it: whatever berth
// does with it (refuse, or resolve the link inside the layer), nothing lands on the host.
TEST_F(RegistryHostile, SymlinkEscapeStaysInside) {
  fs::path host_dir = make_temp_dir("berth-escape-dir-");
  HostileRegistry reg(Fault::kPathTraversal, {{"evil", '2', "", host_dir.string(), 0777},
                                              {"evil/pwned", '0', "escaped\n", "", 0644}});
  auto r = st.berth({"pull", reg.reference()}, "", kBoundSeconds + 30);
  EXPECT_NE(r.exit_code, -1) << r.err;
  std::error_code ec;
  EXPECT_FALSE(fs::exists(host_dir / "pwned", ec))
      << "the layer wrote through its symlink: " << r.out << r.err;
  fs::remove_all(host_dir, ec);
}

// The layer's URL redirects in a circle: refused after a bounded number of hops.
TEST_F(RegistryHostile, RedirectLoopRefused) {
  HostileRegistry reg(Fault::kRedirectLoop);
  expect_refused(reg, "redirect", kPartials);
  EXPECT_LT(reg.server().requests(), 200) << reg.requests();
}

// /v2/ asks for a Bearer token and the token endpoint accepts the connection but never
// answers: refused on the idle timeout, not hung.
TEST_F(RegistryHostile, TokenEndpointNeverAnswersTimesOut) {
  HostileRegistry reg(Fault::kTokenNeverAnswers);
  expect_refused(reg, "time(d)?[ -]?out|not answer|no answer", kPartials);
}

// The fixture itself: without a fault the same server is an ordinary registry, so each
// refusal above is the fault's doing.
TEST_F(RegistryHostile, WithoutFaultPulls) {
  HostileRegistry reg(Fault::kNone);
  auto r = st.berth({"pull", reg.reference()}, "", kBoundSeconds);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err << "\nrequests:\n" << reg.requests();
  EXPECT_NE(r.out.find("Digest: " + reg.manifest_digest()), std::string::npos) << r.out;
}

// The faults themselves, seen with curl: each does what its test says it does.
RunResult curl_get(const HostileRegistry& reg, const std::string& path,
                   std::vector<std::string> extra = {}) {
  std::vector<std::string> argv = {"/usr/bin/curl", "-s", "--max-time", "3"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  argv.push_back(reg.server().url(path));
  return run_command(argv);
}

TEST(RegistryHostileFixture, FaultsAsScripted) {
  std::string blob = "/v2/hostile/x/blobs/";
  {
    HostileRegistry reg(Fault::kNone);
    auto m = curl_get(reg, "/v2/hostile/x/manifests/1");
    EXPECT_EQ(sha256_digest(m.out), reg.manifest_digest());
    auto l = curl_get(reg, blob + reg.layer_digest());
    EXPECT_EQ(sha256_digest(l.out), reg.layer_digest());
    auto tar = run_command({"/bin/sh", "-c", "gzip -dc | tar tvf -"}, l.out);
    EXPECT_NE(tar.out.find("hello.txt"), std::string::npos) << tar.out << tar.err;
  }
  {
    HostileRegistry reg(Fault::kDigestMismatch);
    auto m = curl_get(reg, "/v2/hostile/x/manifests/1");
    auto l = curl_get(reg, blob + reg.layer_digest());
    EXPECT_EQ(l.exit_code, 0);
    EXPECT_NE(sha256_digest(l.out), reg.layer_digest());
    // The same size as the manifest says, and a sound gzip tar.
    EXPECT_NE(m.out.find("\"size\":" + std::to_string(l.out.size()) + "}"), std::string::npos)
        << m.out;
    auto tar = run_command({"/bin/sh", "-c", "gzip -dc | tar xOf - hello.txt"}, l.out);
    EXPECT_EQ(tar.out, "HELLO FROM A HOSTILE REGISTRY\n") << tar.err;
  }
  {
    HostileRegistry reg(Fault::kTruncated);
    EXPECT_EQ(curl_get(reg, blob + reg.layer_digest()).exit_code, 18);  // CURLE_PARTIAL_FILE
  }
  {
    HostileRegistry reg(Fault::kHugeLayer);
    auto m = curl_get(reg, "/v2/hostile/x/manifests/1");
    EXPECT_NE(m.out.find("\"size\":10737418240"), std::string::npos) << m.out;
    auto l = curl_get(reg, blob + reg.layer_digest());
    EXPECT_EQ(l.exit_code, 28);  // CURLE_OPERATION_TIMEDOUT
    EXPECT_EQ(l.out.size(), 1u << 20);
  }
  {
    HostileRegistry reg(Fault::kRedirectLoop);
    EXPECT_EQ(curl_get(reg, blob + reg.layer_digest(), {"-L"}).exit_code,
              47);  // CURLE_TOO_MANY_REDIRECTS
  }
  {
    HostileRegistry reg(Fault::kTokenNeverAnswers);
    auto v2 = curl_get(reg, "/v2/", {"-i"});
    EXPECT_NE(v2.out.find("WWW-Authenticate: Bearer realm=\"" + reg.server().url("/token")),
              std::string::npos)
        << v2.out;
    EXPECT_EQ(curl_get(reg, "/token?scope=x").exit_code, 28);
  }
  {
    std::string up;
    for (int i = 0; i < 4; ++i) up += "../";
    HostileRegistry reg(Fault::kPathTraversal, {{up + "tmp/x", '0', "x\n", "", 0644}});
    auto l = curl_get(reg, blob + reg.layer_digest());
    auto tar = run_command({"/bin/sh", "-c", "gzip -dc | tar tvf -"}, l.out);
    EXPECT_NE(tar.out.find("../../../../tmp/x"), std::string::npos) << tar.out << tar.err;
  }
}

}  // namespace
}  // namespace berth::test
