// The Debian base image of scripts/make-debian-base.sh (mmdebstrap, cached by content): apt
// works in a berth container through the default bridge's NAT, as a Dockerfile RUN step
// needs, and the script's cache answers the same inputs with the same tarball at once.
// Both reach the host's Debian mirror; they skip when it or mmdebstrap is missing.
#include <signal.h>
#include <sys/stat.h>

#include <chrono>
#include <fstream>

#include "tests/support/harness.h"

namespace berth::test {
namespace {

namespace fs = std::filesystem;

class DebianBaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!is_root()) GTEST_SKIP() << "needs root";
  }

  // Runs the script with args; its stdout without the final newline.
  static RunResult script(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {"/bin/bash", debian_base_script().string()};
    argv.insert(argv.end(), args.begin(), args.end());
    auto r = run_command(argv, "", 900);
    while (!r.out.empty() && r.out.back() == '\n') r.out.pop_back();
    return r;
  }

  TempState st;
};

TEST_F(DebianBaseTest, AptGetInstallsThroughBridgeNat) {
  auto image = st.import_debian_base();
  if (image.empty()) return;
  // apt drops to its _apt sandbox user for the downloads (setgroups, setresuid: the default
  // capability set allows them) and fetches from the host's mirror through the bridge's NAT.
  auto r = st.berth({"run", "--rm", image, "sh", "-c",
                     "apt-get update -qq && apt-get install -y -qq --no-install-recommends hello "
                     ">/dev/null && hello"},
                    "", 600);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.out.substr(r.out.rfind('\n', r.out.size() - 2) + 1), "Hello, world!\n") << r.out;
  EXPECT_EQ(r.err.find("W: "), std::string::npos) << "apt warned: " << r.err;
}

TEST_F(DebianBaseTest, SameInputsAreACacheHitOtherPackagesAnotherPath) {
  auto first = script({});  // makes the default base, unless cached already
  if (first.exit_code == 3 || first.exit_code == 4) GTEST_SKIP() << first.err;
  ASSERT_EQ(first.exit_code, 0) << first.err;
  struct stat before {};
  ASSERT_EQ(::stat(first.out.c_str(), &before), 0) << first.out;

  auto t0 = std::chrono::steady_clock::now();
  auto again = script({"--packages", ""});
  auto took = std::chrono::steady_clock::now() - t0;
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out, first.out);
  EXPECT_EQ(again.err, "");                  // nothing built, nothing fetched
  EXPECT_LT(took, std::chrono::seconds(5));  // a build takes minutes
  struct stat after {};
  ASSERT_EQ(::stat(again.out.c_str(), &after), 0);
  EXPECT_EQ(after.st_ino, before.st_ino);  // not rebuilt and renamed over
  EXPECT_EQ(after.st_size, before.st_size);

  // The key covers the package list, not its order or repeats; nothing is built for these.
  auto hello = script({"--packages", "hello", "--print-path"});
  auto two = script({"--packages", "hello,curl", "--print-path"});
  auto swapped = script({"--packages", "curl,hello,curl", "--print-path"});
  ASSERT_EQ(hello.exit_code, 0) << hello.err;
  EXPECT_EQ(fs::path(hello.out).parent_path(), fs::path(first.out).parent_path());
  EXPECT_NE(hello.out, first.out);
  EXPECT_NE(two.out, hello.out);
  EXPECT_EQ(swapped.out, two.out);
  EXPECT_EQ(fs::path(hello.out).filename().string().rfind("debian-", 0), 0u) << hello.out;
  EXPECT_EQ(fs::path(hello.out).extension(), ".tar");
}

// The script with stand-ins for mmdebstrap and curl first on PATH (no network) and its cache
// in the test's directory. The mmdebstrap writes part of a tarball and, until a "finish" file
// exists, SIGKILLs its whole process group, the script included.
class FakeMmdebstrapTest : public DebianBaseTest {
 protected:
  void SetUp() override {
    DebianBaseTest::SetUp();
    if (IsSkipped()) return;
    fs::create_directories(dir_ / "bin");
    std::ofstream f(dir_ / "bin" / "mmdebstrap");
    f << "#!/bin/sh\n"
         "eval target=\\${$(($# - 1))}\n"  // the argument before "-" (sources on stdin)
         "echo run >> \"$FAKE_DIR/calls\"\n"
         "printf 'part of a tarball' > \"$target\"\n"
         "[ -e \"$FAKE_DIR/finish\" ] || kill -KILL 0\n";
    f.close();
    // And a curl that answers the mirror check offline, with the exit code in curl_rc if any.
    std::ofstream c(dir_ / "bin" / "curl");
    c << "#!/bin/sh\n"
         "[ -e \"$FAKE_DIR/curl_rc\" ] && exit \"$(cat \"$FAKE_DIR/curl_rc\")\"\n"
         "exit 0\n";
    c.close();
    for (const char* tool : {"mmdebstrap", "curl"})
      fs::permissions(dir_ / "bin" / tool, fs::perms::owner_all);
  }

  RunResult run(const std::vector<std::string>& args) const {
    std::vector<std::string> argv = {
        "/usr/bin/env",
        "PATH=" + (dir_ / "bin").string() + ":/usr/sbin:/usr/bin:/sbin:/bin",
        "BERTH_BASE_CACHE=" + (dir_ / "cache").string(),
        "FAKE_DIR=" + dir_.string(),
        "/bin/bash",
        debian_base_script().string()};
    argv.insert(argv.end(), args.begin(), args.end());
    auto r = run_command(argv, "", 60);
    while (!r.out.empty() && r.out.back() == '\n') r.out.pop_back();
    return r;
  }

  std::string calls() const { return read_all(dir_ / "calls"); }
  void let_finish() const { std::ofstream(dir_ / "finish").close(); }

  const fs::path dir_ = st.dir() / "fake";
};

// A killed build must leave nothing that a later call takes as the cached base.
TEST_F(FakeMmdebstrapTest, KilledBuildLeavesNoTarballThatCountsAsCached) {
  auto path = run({"--print-path"}).out;
  ASSERT_EQ(fs::path(path).parent_path(), dir_ / "cache") << path;

  auto killed = run({});
  ASSERT_EQ(killed.exit_code, 128 + SIGKILL) << killed.out << killed.err;
  ASSERT_EQ(calls(), "run\n") << killed.err;
  EXPECT_FALSE(fs::exists(path));

  let_finish();
  auto built = run({});
  ASSERT_EQ(built.exit_code, 0) << built.err;
  EXPECT_EQ(built.out, path);
  EXPECT_EQ(read_all(path), "part of a tarball");
  EXPECT_EQ(calls(), "run\nrun\n");
  for (const auto& e : fs::directory_iterator(dir_ / "cache"))  // the killed run's temp file
    EXPECT_EQ(e.path().filename().string().rfind(".debian-", 0), std::string::npos) << e.path();

  auto cached = run({});
  ASSERT_EQ(cached.exit_code, 0) << cached.err;
  EXPECT_EQ(cached.out, path);
  EXPECT_EQ(calls(), "run\nrun\n");  // not run again
}

// A hit marks its base as used (mtime); a build deletes the bases unused for 30 days.
TEST_F(FakeMmdebstrapTest, HitsMarkUseAndBuildsPruneUnusedBases) {
  let_finish();
  auto base = run({});
  ASSERT_EQ(base.exit_code, 0) << base.err;
  const auto old = fs::file_time_type::clock::now() - std::chrono::hours(24 * 40);
  fs::last_write_time(base.out, old);
  const fs::path stale = dir_ / "cache" / "debian-bookworm-0123456789abcdef.tar";
  const fs::path recent = dir_ / "cache" / "debian-bookworm-fedcba9876543210.tar";
  for (const auto& p : {stale, recent, fs::path(stale.string() + ".lock")})
    std::ofstream(p).close();
  fs::last_write_time(stale, old);
  fs::last_write_time(stale.string() + ".lock", old);

  ASSERT_EQ(run({}).out, base.out);  // a hit: its mtime is now
  EXPECT_GT(fs::last_write_time(base.out), old + std::chrono::hours(24 * 39));
  auto other = run({"--packages", "hello"});
  ASSERT_EQ(other.exit_code, 0) << other.err;
  EXPECT_EQ(calls(), "run\nrun\n");
  EXPECT_FALSE(fs::exists(stale));
  EXPECT_FALSE(fs::exists(stale.string() + ".lock"));
  EXPECT_TRUE(fs::exists(recent));
  EXPECT_TRUE(fs::exists(base.out));
}

// Tests skip when the mirror cannot be reached (4), but a mirror that answers with an HTTP
// error is a failure (1): a wrong URL must not pass as "offline". A hit checks the mirror only
// with --check-mirror, as the harness asks.
TEST_F(FakeMmdebstrapTest, MirrorHttpErrorFailsUnreachableMirrorSkips) {
  let_finish();
  std::ofstream(dir_ / "curl_rc") << "22";  // --fail: the server answered 4xx/5xx
  auto http = run({});
  EXPECT_EQ(http.exit_code, 1) << http.err;
  EXPECT_NE(http.err.find("cannot get dists/"), std::string::npos) << http.err;
  std::ofstream(dir_ / "curl_rc") << "7";  // could not connect
  auto offline = run({});
  EXPECT_EQ(offline.exit_code, 4) << offline.err;
  EXPECT_NE(offline.err.find("unreachable"), std::string::npos) << offline.err;
  EXPECT_EQ(calls(), "");

  // A cache hit does not look at the mirror, unless asked to.
  fs::remove(dir_ / "curl_rc");
  ASSERT_EQ(run({}).exit_code, 0);
  std::ofstream(dir_ / "curl_rc") << "7";
  auto hit = run({});
  EXPECT_EQ(hit.exit_code, 0) << hit.err;
  auto checked = run({"--check-mirror"});
  EXPECT_EQ(checked.exit_code, 4) << checked.err;
  EXPECT_EQ(checked.out, "");
}

}  // namespace
}  // namespace berth::test
