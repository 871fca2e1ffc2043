// Hostile tar streams sent to `cp - CONTAINER:DIR`: "../" names, absolute names,
// symlinks out of the tree followed by entries through them, hardlinks to host files, and a
// symlink already in the container: nothing is written outside the container, running or
// stopped. And `cp CONTAINER:PATH -` through container symlinks never reads a host file.
#include <gtest/gtest.h>

#include <fstream>

#include "tests/integration/container/container_helpers.h"
#include "tests/security/image/tar_builder.h"

namespace berth::test {
namespace {

namespace fs = std::filesystem;

class CpTarEscapeTest : public BoxTest {
 protected:
  void SetUp() override {
    BoxTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    marker_ = unique_name("berth-cptar-");
    ASSERT_EQ(exec({"sh", "-c",
                    "mkdir -p /data && ln -s /tmp /data/hostlink && ln -s ../../../../../.. "
                    "/data/up && ln -s / /hostroot"})
                  .exit_code,
              0);
  }
  void TearDown() override {
    if (marker_.empty()) return;  // SetUp stopped early: host_paths() would name /, /tmp, /etc
    std::error_code ec;
    for (const auto& p : host_paths()) fs::remove_all(p, ec);
  }
  std::vector<fs::path> host_paths() const {
    return {fs::path("/tmp") / marker_,
            fs::path("/tmp") / (marker_ + "-2"),
            fs::path("/tmp") / (marker_ + "-3"),
            fs::path("/tmp") / (marker_ + "-4"),
            fs::path("/") / marker_,
            fs::path("/etc") / marker_};
  }
  RunResult exec(const std::vector<std::string>& args) { return exec_in_box(args); }
  RunResult send(const TarBuilder& t, const std::string& dir) {
    const fs::path p = st_.dir() / "hostile.tar";
    t.write(p);
    return st_.berth({"cp", "-", "box:" + dir}, read_file_text(p));
  }
  void expect_host_untouched() {
    for (const auto& p : host_paths()) EXPECT_FALSE(fs::exists(fs::symlink_status(p))) << p;
  }
  // Every hostile stream, each refused (exit != 0) with the host unchanged.
  void send_all_hostile() {
    const std::string m = marker_;
    std::vector<std::pair<std::string, TarBuilder>> cases;
    cases.push_back({"dotdot", TarBuilder().file("../../../../../../tmp/" + m, "x")});
    cases.push_back(
        {"dotdot-dir", TarBuilder().dir("a").file("a/../../../../../../tmp/" + m, "x")});
    cases.push_back(
        {"symlink-out",
         TarBuilder().symlink("esc", "../../../../../../../tmp").file("esc/" + m + "-2", "x")});
    cases.push_back({"abs-symlink-then-file",
                     TarBuilder().symlink("abs", "/tmp").file("abs/" + m + "-3", "x")});
    cases.push_back({"hardlink-out", TarBuilder().hardlink(m, "../../../../../../etc/passwd")});
    cases.push_back({"through-existing-link", TarBuilder().file("hostlink/" + m + "-4", "x")});
    cases.push_back({"through-existing-up", TarBuilder().file("up/tmp/" + m, "x")});
    for (auto& [name, tar] : cases) {
      auto r = send(tar, "/data");
      EXPECT_NE(r.exit_code, 0) << name;
      expect_host_untouched();
    }
  }
  std::string marker_;
};

TEST_F(CpTarEscapeTest, HostileTarWritesNothingOutsideARunningContainer) {
  send_all_hostile();
  // An absolute name lands inside DIR, like a layer's.
  auto r = send(TarBuilder().file("/etc/" + marker_, "inside\n"), "/data");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  expect_host_untouched();
  EXPECT_EQ(exec({"cat", "/data/etc/" + marker_}).out, "inside\n");
  // DIR itself through a container symlink to "/" resolves in the container's root.
  r = send(TarBuilder().file(marker_, "in the container\n"), "/hostroot/tmp");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  expect_host_untouched();
  EXPECT_EQ(exec({"cat", "/tmp/" + marker_}).out, "in the container\n");
}

TEST_F(CpTarEscapeTest, HostileTarWritesNothingOutsideAStoppedContainer) {
  ASSERT_EQ(st_.berth({"stop", "-t", "0", "box"}).exit_code, 0);
  send_all_hostile();
}

TEST_F(CpTarEscapeTest, TarOutThroughContainerSymlinksReadsNoHostFile) {
  const fs::path secret = fs::path("/tmp") / marker_;
  { std::ofstream(secret) << "host secret\n"; }
  for (const std::string via : {"/data/hostlink/", "/data/up/tmp/", "/hostroot/tmp/"}) {
    auto r = st_.berth({"cp", "box:" + via + marker_, "-"});
    EXPECT_NE(r.exit_code, 0) << via;
    EXPECT_EQ(r.out.find("host secret"), std::string::npos) << via;
  }
  // The link itself is archived as a link, never followed.
  auto r = st_.berth({"cp", "box:/data/hostlink", "-"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.find("host secret"), std::string::npos);
}

}  // namespace
}  // namespace berth::test
