// The pulls `run`, `create` and `build` make on the user's behalf, against a loopback
// registry: a missing image is pulled ("Unable to find image"), --pull always pulls again,
// --pull never sends nothing, and a build pulls its FROM image.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "common/atomic_file.h"
#include "tests/integration/container/container_helpers.h"
#include "tests/support/local_registry.h"

namespace berth::test {
namespace {

class RunPull : public ::testing::Test {
 protected:
  void SetUp() override {
    BERTH_NEED_ROOT();
    reg_ = LocalRegistry::start();
    if (!reg_) return;  // skipped: docker-registry is not installed
    st_.import_busybox();
    ref_ = reg_->authority() + "/bb:1";
  }

  // busybox with ENV V=value, pushed as ref_ whose local tag is then removed (the image stays,
  // tagged variant-VALUE); returns its ID.
  std::string push_variant(const std::string& value) {
    const auto ctx = st_.dir() / ("ctx-" + value);
    std::filesystem::create_directories(ctx);
    write_file_atomic(ctx / "Dockerfile", "FROM busybox\nENV V=" + value + "\n", 0644);
    auto r = st_.berth({"build", "-q", "-t", ref_, "-t", "variant-" + value, ctx.string()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    const std::string id = trim(r.out);
    r = st_.berth({"push", ref_});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    st_.berth({"rmi", ref_});
    return id;
  }
  std::string image_id(const std::string& ref) {
    auto r = st_.berth({"image", "inspect", "--format", "{{.Id}}", ref});
    return r.exit_code == 0 ? trim(r.out) : "";
  }

  // Every request the registry has logged (GET and HEAD: all a pull or a check makes).
  int registry_requests() const {
    return reg_->count_requests("GET", "/") + reg_->count_requests("HEAD", "/");
  }

  std::unique_ptr<LocalRegistry> reg_;
  TempState st_;
  std::string ref_;
};

TEST_F(RunPull, RunOfAnImageOnlyInTheRegistryPullsItAndRuns) {
  const std::string id = push_variant("one");
  ASSERT_EQ(image_id(ref_), "");
  auto r = st_.berth({"run", "--rm", ref_, "sh", "-c", "echo $V"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "one\n");
  EXPECT_NE(r.err.find("Unable to find image '" + ref_ + "' locally\n"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("Status: Downloaded newer image for " + ref_), std::string::npos) << r.err;
  EXPECT_EQ(image_id(ref_), id);
}

TEST_F(RunPull, CreatePullsAMissingImageToo) {
  push_variant("one");
  auto r = st_.berth({"create", ref_, "true"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("Unable to find image '" + ref_ + "' locally"), std::string::npos) << r.err;
  st_.berth({"rm", "-f", trim(r.out)});
}

TEST_F(RunPull, PullNeverFailsWithoutARequest) {
  push_variant("one");
  const int before = registry_requests();
  auto r = st_.berth({"run", "--rm", "--pull", "never", ref_, "true"});
  EXPECT_EQ(r.exit_code, 125);
  EXPECT_EQ(r.err, "Error: No such image: " + ref_ + "\n");
  EXPECT_EQ(registry_requests(), before);
  r = st_.berth({"run", "--rm", "--pull", "sometimes", "busybox", "true"});
  EXPECT_EQ(r.exit_code, 125);
  EXPECT_NE(r.err.find("invalid pull option: 'sometimes'"), std::string::npos) << r.err;
}

TEST_F(RunPull, ALocalImageIsUsedWithoutARequest) {
  const int before = registry_requests();
  auto r = st_.berth({"run", "--rm", "busybox", "true"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(registry_requests(), before);
}

TEST_F(RunPull, PullAlwaysReplacesTheLocalImage) {
  const std::string one = push_variant("one");
  const std::string two = push_variant("two");
  ASSERT_EQ(st_.berth({"tag", one, ref_}).exit_code, 0);  // local: one, registry: two
  auto r = st_.berth({"run", "--rm", ref_, "sh", "-c", "echo $V"});
  EXPECT_EQ(r.out, "one\n") << r.err;
  EXPECT_EQ(r.err, "");
  r = st_.berth({"run", "--rm", "--pull", "always", ref_, "sh", "-c", "echo $V"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "two\n") << r.err;
  EXPECT_EQ(r.err.find("Unable to find image"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("Status: Downloaded newer image for " + ref_), std::string::npos) << r.err;
  EXPECT_EQ(image_id(ref_), two);
}

TEST_F(RunPull, BuildPullsAMissingFromImage) {
  push_variant("base");
  const auto ctx = st_.dir() / "app";
  std::filesystem::create_directories(ctx);
  write_file_atomic(ctx / "Dockerfile", "FROM " + ref_ + "\nENV W=app\n", 0644);
  auto r = st_.berth({"build", "-t", "app", ctx.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("[internal] load metadata for " + ref_), std::string::npos) << r.err;
  EXPECT_NE(image_id(ref_), "");
  r = st_.berth({"run", "--rm", "app", "sh", "-c", "echo $V $W"});
  EXPECT_EQ(r.out, "base app\n") << r.err;
}

TEST_F(RunPull, BuildWithPullTakesTheRegistrysFromImage) {
  const std::string old = push_variant("old");
  push_variant("new");
  ASSERT_EQ(st_.berth({"tag", old, ref_}).exit_code, 0);  // local: old, registry: new
  const auto ctx = st_.dir() / "app";
  std::filesystem::create_directories(ctx);
  write_file_atomic(ctx / "Dockerfile", "FROM " + ref_ + "\n", 0644);
  auto r = st_.berth({"build", "-t", "app", ctx.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(st_.berth({"run", "--rm", "app", "sh", "-c", "echo $V"}).out, "old\n");
  r = st_.berth({"build", "--pull", "-t", "app", ctx.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find("cannot pull"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("[internal] load metadata for " + ref_), std::string::npos) << r.err;
  EXPECT_EQ(st_.berth({"run", "--rm", "app", "sh", "-c", "echo $V"}).out, "new\n");
}

}  // namespace
}  // namespace berth::test
