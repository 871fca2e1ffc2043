// `berth commit` on real containers over a real overlay: created, changed and deleted files
// (whiteouts), replaced directories (opaque), hardlinks, reproducible images under
// SOURCE_DATE_EPOCH, --change/--author/--message, and a running container paused meanwhile.
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <regex>

#include "tests/support/harness.h"

namespace berth::test {
namespace {

// Sets an environment variable for the berth processes a test runs; restores it after.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    ::setenv(name, value, 1);
  }
  ~ScopedEnv() {
    if (old_) {
      ::setenv(name_, old_->c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

class CommitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!is_root()) GTEST_SKIP() << "needs root";
    st.import_busybox();
  }
  nlohmann::json image_inspect(const std::string& ref) {
    auto r = st.berth({"image", "inspect", ref});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    auto j = nlohmann::json::parse(r.out, nullptr, false);
    return j.is_array() && !j.empty() ? j[0] : nlohmann::json::object();
  }
  TempState st;
};

const char* kChanges =
    "echo hi > /new && echo more >> /etc/passwd && rm /etc/group && rm -rf /var/www && "
    "mkdir /var/www && echo fresh > /var/www/new.html && mkdir -p /made/deep && "
    "ln /etc/passwd /etc/passwd.link";

TEST_F(CommitTest, ChangesAndDeletionsReachANewContainer) {
  auto run = st.berth({"run", "--name", "c1", "busybox", "sh", "-c", kChanges});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto c = st.berth({"commit", "c1", "snap:1"});
  ASSERT_EQ(c.exit_code, 0) << c.err;
  EXPECT_TRUE(std::regex_match(c.out, std::regex("sha256:[0-9a-f]{64}\n"))) << c.out;
  auto check = st.berth({"run", "--rm", "snap:1", "sh", "-c",
                         "cat /new; tail -n 1 /etc/passwd; test -e /etc/group || echo nogroup; "
                         "ls /var/www; cat /var/www/new.html; test -d /made/deep && echo deep; "
                         "stat -c %h /etc/passwd; test -x /bin/busybox && echo bb"});
  ASSERT_EQ(check.exit_code, 0) << check.err;
  EXPECT_EQ(check.out, "hi\nmore\nnogroup\nnew.html\nfresh\ndeep\n2\nbb\n");
  auto j = image_inspect("snap:1");
  EXPECT_EQ(j["Id"], c.out.substr(0, 71));
  EXPECT_EQ(j["RepoTags"], nlohmann::json({"snap:1"}));
  EXPECT_EQ(j["RootFS"]["Layers"].size(), 2u);
  // The runtime's mount targets (busybox has no /etc/hosts) are not part of the image.
  for (const auto& e : std::filesystem::directory_iterator(st.root() / "layers"))
    EXPECT_FALSE(std::filesystem::exists(e.path() / "diff/etc/hosts")) << e.path();
  // The container's command, as Docker's commit keeps it.
  EXPECT_EQ(j["Config"]["Cmd"], nlohmann::json({"sh", "-c", kChanges}));
}

TEST_F(CommitTest, CommittingAStoppedContainerTwiceGivesTheSameImage) {
  ScopedEnv epoch("SOURCE_DATE_EPOCH", "1700000000");
  ASSERT_EQ(st.berth({"run", "--name", "c1", "busybox", "sh", "-c", kChanges}).exit_code, 0);
  auto a = st.berth({"commit", "c1"});
  ASSERT_EQ(a.exit_code, 0) << a.err;
  auto b = st.berth({"commit", "c1", "again"});
  ASSERT_EQ(b.exit_code, 0) << b.err;
  EXPECT_EQ(a.out, b.out);
  EXPECT_EQ(image_inspect("again")["Created"], "2023-11-14T22:13:20Z");
}

TEST_F(CommitTest, ChangesAuthorAndMessage) {
  ASSERT_EQ(
      st.berth({"run", "--name", "c1", "-e", "FROM_RUN=1", "busybox", "sh", "-c", "echo hi > /new"})
          .exit_code,
      0);
  auto c = st.berth({"commit", "-a", "Ann <ann@example.com>", "-m", "snapshot", "-c",
                     "CMD [\"cat\", \"/new\"]", "--change", "ENV X=1", "c1", "snap:2"});
  ASSERT_EQ(c.exit_code, 0) << c.err;
  auto j = image_inspect("snap:2");
  EXPECT_EQ(j["Author"], "Ann <ann@example.com>");
  EXPECT_EQ(j["Comment"], "snapshot");
  EXPECT_EQ(j["Config"]["Cmd"], nlohmann::json({"cat", "/new"}));
  auto env = j["Config"]["Env"].dump();
  EXPECT_NE(env.find("\"X=1\""), std::string::npos) << env;
  EXPECT_NE(env.find("\"FROM_RUN=1\""), std::string::npos) << env;
  auto run = st.berth({"run", "--rm", "snap:2"});
  EXPECT_EQ(run.out, "hi\n") << run.err;
  auto bad = st.berth({"commit", "-c", "RUN true", "c1"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_EQ(bad.err, "Error: --change `RUN true`: RUN is not a valid change command\n");
}

TEST_F(CommitTest, HealthcheckAndPublishedPortsOfTheContainerAreKept) {
  ASSERT_EQ(st.berth({"create", "--name", "c1", "--health-cmd", "true", "--health-interval", "5s",
                      "-p", "127.0.0.1:18089:8089/udp", "busybox", "true"})
                .exit_code,
            0);
  ASSERT_EQ(st.berth({"commit", "c1", "hc"}).exit_code, 0);
  auto cfg = image_inspect("hc")["Config"];
  EXPECT_EQ(cfg["Healthcheck"]["Test"], nlohmann::json({"CMD-SHELL", "true"})) << cfg.dump();
  EXPECT_EQ(cfg["Healthcheck"]["Interval"], 5000000000LL) << cfg.dump();
  EXPECT_TRUE(cfg["ExposedPorts"].contains("8089/udp")) << cfg.dump();
}

TEST_F(CommitTest, RunningContainerIsPausedMeanwhileAndKeepsRunning) {
  ASSERT_EQ(st.berth({"run", "-d", "--name", "live", "busybox", "sh", "-c",
                      "echo x > /live; exec sleep 1000"})
                .exit_code,
            0);
  for (int i = 0; i < 100 && st.berth({"exec", "live", "test", "-e", "/live"}).exit_code != 0; ++i)
    ::usleep(50 * 1000);
  auto c = st.berth({"commit", "live", "snap:3"});
  ASSERT_EQ(c.exit_code, 0) << c.err;
  auto ps = st.berth({"inspect", "--format", "{{.State.Status}}", "live"});
  EXPECT_EQ(ps.out, "running\n") << ps.err;
  EXPECT_EQ(st.berth({"run", "--rm", "snap:3", "cat", "/live"}).out, "x\n");
  ASSERT_EQ(st.berth({"pause", "live"}).exit_code, 0);
  ASSERT_EQ(st.berth({"commit", "--pause=false", "live"}).exit_code, 0);
  EXPECT_EQ(st.berth({"inspect", "--format", "{{.State.Status}}", "live"}).out, "paused\n");
}

TEST_F(CommitTest, AContainerThatChangedNothingAddsHistoryButNoLayer) {
  ASSERT_EQ(st.berth({"create", "--name", "c1", "busybox", "true"}).exit_code, 0);
  auto c = st.berth({"commit", "-m", "nothing", "c1", "same"});
  ASSERT_EQ(c.exit_code, 0) << c.err;
  auto j = image_inspect("same");
  EXPECT_EQ(j["RootFS"]["Layers"], image_inspect("busybox")["RootFS"]["Layers"]);
  EXPECT_EQ(st.berth({"run", "--rm", "same", "true"}).exit_code, 0);
}

TEST_F(CommitTest, UnknownContainerAndBadReference) {
  auto r = st.berth({"commit", "nope"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "Error: No such container: nope\n");
  ASSERT_EQ(st.berth({"create", "--name", "c1", "busybox", "true"}).exit_code, 0);
  auto bad = st.berth({"commit", "c1", "Bad:Ref"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("invalid reference format"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace berth::test
