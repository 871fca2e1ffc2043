// The image's config as `run` honours it: Docker's CMD/ENTRYPOINT table, Env merged with -e,
// WorkingDir and User, and --entrypoint "" clearing the entrypoint.
#include <gtest/gtest.h>

#include "tests/integration/container/container_helpers.h"

namespace berth::test {
namespace {

class ImageConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    BERTH_NEED_ROOT();
    auto r =
        st_.berth({"import", busybox_tar().string(), "ep", "--change",
                   "ENTRYPOINT [\"echo\", \"ep\"]", "--change", "CMD [\"default\"]", "--change",
                   "ENV A=img B=img", "--change", "WORKDIR /root", "--change", "USER daemon"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    r = st_.berth(
        {"import", busybox_tar().string(), "cmdonly", "--change", "CMD [\"echo\", \"cmd\"]"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  std::string run(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {"run", "--rm"};
    argv.insert(argv.end(), args.begin(), args.end());
    auto r = st_.berth(argv);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  }
  TempState st_;
};

TEST_F(ImageConfigTest, CmdEntrypointTable) {
  EXPECT_EQ(run({"ep"}), "ep default\n");                // ENTRYPOINT + CMD
  EXPECT_EQ(run({"ep", "x", "y"}), "ep x y\n");          // args replace CMD
  EXPECT_EQ(run({"--entrypoint", "echo", "ep"}), "\n");  // --entrypoint drops the image CMD
  EXPECT_EQ(run({"--entrypoint", "echo", "ep", "z"}), "z\n");
  EXPECT_EQ(run({"--entrypoint", "", "ep", "echo", "cleared"}), "cleared\n");
  EXPECT_EQ(run({"cmdonly"}), "cmd\n");  // CMD alone
  EXPECT_EQ(run({"cmdonly", "echo", "other"}), "other\n");
  auto r = st_.berth({"run", "--rm", "--entrypoint", "", "cmdonly"});
  EXPECT_EQ(r.exit_code, 125);
  EXPECT_NE(r.err.find("No command specified"), std::string::npos) << r.err;
}

TEST_F(ImageConfigTest, EnvWorkdirUserFromImage) {
  EXPECT_EQ(run({"--entrypoint", "sh", "ep", "-c", "echo $A $B; pwd; id -u"}),
            "img img\n/root\n1\n");
  EXPECT_EQ(run({"--entrypoint", "sh", "-e", "B=cli", "-w", "/", "-u", "root", "ep", "-c",
                 "echo $A $B; pwd; id -u"}),
            "img cli\n/\n0\n");
  auto j = inspect(st_, trim(st_.berth({"create", "ep"}).out));
  EXPECT_EQ(j["Config"]["Entrypoint"], nlohmann::json::array({"echo", "ep"}));
  EXPECT_EQ(j["Config"]["Cmd"], nlohmann::json::array({"default"}));
  EXPECT_EQ(j["Config"]["User"], "daemon");
  EXPECT_EQ(j["Config"]["WorkingDir"], "/root");
}

}  // namespace
}  // namespace berth::test
