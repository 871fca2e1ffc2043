// Compose's pulls against a loopback registry: `up` of an image only in the registry,
// pull_policy never/always/missing/build/daily, `compose pull` and `compose push`.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>

#include "common/atomic_file.h"
#include "tests/integration/compose/compose_fixture.h"
#include "tests/support/local_registry.h"

namespace berth::test {
namespace {

class ComposePull : public ComposeUp {
 protected:
  void SetUp() override {
    ComposeUp::SetUp();
    if (IsSkipped()) return;
    reg_ = LocalRegistry::start();
    if (!reg_) return;  // skipped: docker-registry is not installed
    ref_ = reg_->authority() + "/app:1";
  }

  // busybox with ENV V=value pushed as `ref` (default ref_), its local tag `ref` removed (the
  // image stays as variant-VALUE); returns its ID.
  std::string push_variant(const std::string& value, std::string ref = "") {
    if (ref.empty()) ref = ref_;
    const auto ctx = st_.dir() / ("ctx-" + value);
    std::filesystem::create_directories(ctx);
    write_file_atomic(ctx / "Dockerfile", "FROM busybox\nENV V=" + value + "\n", 0644);
    auto r = st_.berth({"build", "-q", "-t", ref, "-t", "variant-" + value, ctx.string()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    const std::string id = trim(r.out);
    r = st_.berth({"push", ref});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    st_.berth({"rmi", ref});
    return id;
  }
  std::string image_id(const std::string& ref) {
    auto r = st_.berth({"image", "inspect", "--format", "{{.Id}}", ref});
    return r.exit_code == 0 ? trim(r.out) : "";
  }
  std::string container_image(const std::string& service) {
    auto r = st_.berth({"inspect", "--format", "{{.Image}}", project_ + "-" + service + "-1"});
    return r.exit_code == 0 ? trim(r.out) : "";
  }
  void write_service(const std::string& extra) {
    write("services:\n  web:\n    image: " + ref_ +
          "\n    command: [sleep, '600']\n    stop_signal: SIGKILL\n" + extra);
  }
  // The one pull record (registry/pull_record.h) of a test that pulled one image once.
  std::filesystem::path pull_record() {
    std::filesystem::path found;
    int n = 0;
    for (const auto& e : std::filesystem::directory_iterator(st_.root() / "images" / "pulled"))
      found = e.path(), ++n;
    EXPECT_EQ(n, 1);
    return found;
  }

  // Every request the registry has logged (GET and HEAD: all a pull or a check makes).
  int registry_requests() const {
    return reg_->count_requests("GET", "/") + reg_->count_requests("HEAD", "/");
  }

  std::unique_ptr<LocalRegistry> reg_;
  std::string ref_;
};

TEST_F(ComposePull, UpPullsAnImageOnlyInTheRegistry) {
  const std::string id = push_variant("one");
  write_service("");
  auto r = compose({"up", "-d"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find(" Image " + ref_ + "  Pulling\n"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(" Image " + ref_ + "  Pulled\n"), std::string::npos) << r.err;
  EXPECT_EQ(container_image("web"), id);
}

TEST_F(ComposePull, PolicyNeverFailsForAMissingImageWithoutARequest) {
  push_variant("one");
  write_service("    pull_policy: never\n");
  const int before = registry_requests();
  auto r = compose({"up", "-d"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("No such image: " + ref_), std::string::npos) << r.err;
  EXPECT_EQ(registry_requests(), before);
  EXPECT_EQ(id_of("web"), "");
  // --pull overrides the file's policy.
  r = compose({"up", "-d", "--pull", "missing"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(ComposePull, PolicyMissingKeepsALocalImage) {
  const std::string one = push_variant("one");
  push_variant("two");
  ASSERT_EQ(st_.berth({"tag", one, ref_}).exit_code, 0);  // local: one, registry: two
  write_service("    pull_policy: missing\n");
  auto r = compose({"up", "-d"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find("Pull"), std::string::npos) << r.err;
  EXPECT_EQ(container_image("web"), one);
}

TEST_F(ComposePull, PolicyAlwaysPullsAtEveryUp) {
  const std::string one = push_variant("one");
  write_service("    pull_policy: always\n");
  auto r = compose({"up", "-d"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(container_image("web"), one);
  const std::string first = id_of("web");
  const std::string two = push_variant("two");
  r = compose({"up", "-d"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find(" Image " + ref_ + "  Pulled\n"), std::string::npos) << r.err;
  EXPECT_EQ(container_image("web"), two);
  EXPECT_NE(id_of("web"), first) << "recreated with the new image";
}

TEST_F(ComposePull, PolicyBuildBuildsEvenWhenTheRegistryHasTheImage) {
  push_variant("pulled");
  const auto ctx = st_.dir() / "src";
  std::filesystem::create_directories(ctx);
  write_file_atomic(ctx / "Dockerfile", "FROM busybox\nENV V=built\n", 0644);
  write_service("    pull_policy: build\n    build: " + ctx.string() + "\n");
  auto r = compose({"up", "-d"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find("Pull"), std::string::npos) << r.err;
  EXPECT_EQ(trim(st_.berth({"exec", project_ + "-web-1", "sh", "-c", "echo $V"}).out), "built");
}

TEST_F(ComposePull, DailyPullsAgainOnlyWhenTheLastPullIsADayOld) {
  push_variant("one");
  write_service("    pull_policy: daily\n");
  auto r = compose({"up", "-d"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string one = container_image("web");
  const auto record = pull_record();
  ASSERT_TRUE(std::filesystem::exists(record)) << record;
  const std::string two = push_variant("two");
  ASSERT_EQ(st_.berth({"tag", one, ref_}).exit_code, 0);  // local: one, registry: two
  r = compose({"up", "-d"});                              // pulled a moment ago: not again
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find("Pull"), std::string::npos) << r.err;
  EXPECT_EQ(container_image("web"), one);
  const auto two_days_ago = std::chrono::duration_cast<std::chrono::seconds>(
                                std::chrono::system_clock::now().time_since_epoch())
                                .count() -
                            2 * 86400;
  write_file_atomic(record, std::to_string(two_days_ago) + "\n", 0644);
  r = compose({"up", "-d"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find(" Image " + ref_ + "  Pulled\n"), std::string::npos) << r.err;
  EXPECT_EQ(container_image("web"), two);
}

TEST_F(ComposePull, RunPullsTheServicesImage) {
  push_variant("one");
  write_service("");
  auto r = compose({"run", "--rm", "-T", "web", "sh", "-c", "echo $V"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "one\n") << r.err;
  EXPECT_NE(r.err.find(" Image " + ref_ + "  Pulled\n"), std::string::npos) << r.err;
}

TEST_F(ComposePull, PullThenPushToAnotherTag) {
  const std::string id = push_variant("one");
  write_service("");
  auto r = compose({"pull"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find(" web Pulling\n"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(" web Pulled\n"), std::string::npos) << r.err;
  EXPECT_EQ(image_id(ref_), id);
  // Compose pushes the services it can build that name an image.
  const std::string other = reg_->authority() + "/app:2";
  ASSERT_EQ(st_.berth({"tag", ref_, other}).exit_code, 0);
  write("services:\n  web:\n    image: " + other + "\n    build: .\n  db:\n    image: busybox\n");
  r = compose({"push"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find(" web Pushed\n"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(" db Skipped\n"), std::string::npos) << r.err;
  ASSERT_EQ(st_.berth({"rmi", other}).exit_code, 0);
  r = st_.berth({"pull", other});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(image_id(other), id);
}

TEST_F(ComposePull, PullFailuresAreErrorsUnlessIgnored) {
  write("services:\n  web:\n    image: " + reg_->authority() +
        "/nosuch:1\n  local:\n    image: busybox\n    pull_policy: never\n");
  auto r = compose({"pull"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("web: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(" local Skipped\n"), std::string::npos) << r.err;
  r = compose({"pull", "--ignore-pull-failures"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

}  // namespace
}  // namespace berth::test
