// `exec`: a process started from the CLI inside a running container's namespaces and cgroup,
// with the container's env, user database and working dir, Docker's exit codes, -i, -t, -d.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "tests/integration/container/container_helpers.h"

namespace berth::test {
namespace {

class ExecTest : public ::testing::Test {
 protected:
  void SetUp() override {
    BERTH_NEED_ROOT();
    st_.import_busybox();
    auto r = st_.berth({"run", "-d", "--name", "box", "-e", "FROM_RUN=1", "-w", "/etc", "busybox",
                        "sleep", "1000"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    id_ = trim(r.out);
  }
  RunResult exec(const std::vector<std::string>& args, const std::string& input = "") {
    std::vector<std::string> argv = {"exec"};
    argv.insert(argv.end(), args.begin(), args.end());
    return st_.berth(argv, input);
  }
  TempState st_;
  std::string id_;
};

TEST_F(ExecTest, RunsInTheContainersNamespacesAndCgroup) {
  auto r = exec({"box", "hostname"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, id_.substr(0, 12) + "\n");
  r = exec({"box", "cat", "/proc/1/cmdline"});
  EXPECT_EQ(r.out, std::string("sleep\0"
                               "1000\0",
                               11));
  r = exec({"box", "sh", "-c", "echo $$"});
  EXPECT_GT(std::stoi(r.out), 1);
  EXPECT_LT(std::stoi(r.out), 100);  // a pid of the container's namespace
  r = exec({"box", "cat", "/proc/self/cgroup"});
  EXPECT_NE(r.out.find("/berth/" + id_), std::string::npos) << r.out;
  r = exec({"box", "readlink", "/proc/self/exe"});
  EXPECT_EQ(r.out, "/bin/busybox\n");  // a fresh execve in the container's root
}

TEST_F(ExecTest, ExitCodesFollowDocker) {
  EXPECT_EQ(exec({"box", "sh", "-c", "exit 7"}).exit_code, 7);
  auto r = exec({"box", "nope"});
  EXPECT_EQ(r.exit_code, 127);
  EXPECT_NE(r.err.find("executable file not found in $PATH"), std::string::npos) << r.err;
  r = exec({"box", "/etc/passwd"});
  EXPECT_EQ(r.exit_code, 126);
  EXPECT_NE(r.err.find("permission denied"), std::string::npos) << r.err;
  r = exec({"box", "/no/such"});
  EXPECT_EQ(r.exit_code, 127);
  r = exec({"nosuch", "true"});
  EXPECT_EQ(r.exit_code, 125);
  EXPECT_NE(r.err.find("No such container: nosuch"), std::string::npos);
  auto c = st_.berth({"create", "--name", "idle", "busybox", "true"});
  r = exec({"idle", "true"});
  EXPECT_EQ(r.exit_code, 125);
  EXPECT_NE(r.err.find("is not running"), std::string::npos) << r.err;
  EXPECT_EQ(exec({"box"}).exit_code, 125);
}

TEST_F(ExecTest, EnvironmentIsTheContainersPlusFlags) {
  const auto file = st_.dir() / "env";
  { std::ofstream(file) << "FROM_FILE=2\n# comment\n"; }
  auto r = exec({"-e", "FROM_EXEC=3", "--env-file", file.string(), "box", "env"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* kv : {"FROM_RUN=1", "FROM_FILE=2", "FROM_EXEC=3", "HOME=/root", "PATH=/usr"})
    EXPECT_NE(r.out.find(kv), std::string::npos) << kv << " in\n" << r.out;
  EXPECT_NE(r.out.find("HOSTNAME=" + id_.substr(0, 12)), std::string::npos);
  r = exec({"-e", "FROM_RUN=over", "box", "sh", "-c", "echo $FROM_RUN"});
  EXPECT_EQ(r.out, "over\n");
}

TEST_F(ExecTest, UserAndWorkingDirectory) {
  auto r = exec({"-u", "nobody", "box", "sh", "-c", "id -u; id -g; echo $HOME"});
  EXPECT_EQ(r.out, "65534\n65534\n/home\n") << r.err;
  r = exec({"-u", "1234:33", "box", "sh", "-c", "id -u; id -g"});
  EXPECT_EQ(r.out, "1234\n33\n");
  r = exec({"-u", "ghost", "box", "true"});
  EXPECT_EQ(r.exit_code, 125);
  EXPECT_NE(r.err.find("unable to find user ghost"), std::string::npos) << r.err;
  EXPECT_EQ(exec({"box", "pwd"}).out, "/etc\n");  // the container's WorkingDir
  EXPECT_EQ(exec({"-w", "/tmp", "box", "pwd"}).out, "/tmp\n");
  r = exec({"-w", "/nowhere", "box", "pwd"});
  EXPECT_EQ(r.exit_code, 125);
  EXPECT_NE(r.err.find("chdir to working directory `/nowhere`"), std::string::npos) << r.err;
}

TEST_F(ExecTest, StdinOnlyWithInteractive) {
  EXPECT_EQ(exec({"-i", "box", "cat"}, "hello\n").out, "hello\n");
  EXPECT_EQ(exec({"box", "cat"}, "hello\n").out, "");
}

TEST_F(ExecTest, TtyIsAPtyOfTheContainer) {
  auto r = exec({"-t", "box", "tty"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.starts_with("/dev/pts/")) << r.out;
  r = exec({"-t", "box", "sh", "-c", "echo $TERM; exit 3"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.out, "xterm\r\n");
}

TEST_F(ExecTest, DetachedProcessBelongsToTheContainersInit) {
  auto r = exec({"-d", "box", "sh", "-c", "sleep 0.3; touch /tmp/done; sleep 100"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  EXPECT_EQ(exec({"box", "test", "-f", "/tmp/done"}).exit_code, 0);
  // Its parent is the container's PID 1, not a process of the host.
  r = exec({"box", "sh", "-c",
            "for p in /proc/[0-9]*; do if [ \"$(tr '\\0' ' ' < $p/cmdline)\" = 'sleep 100 ' ]; "
            "then grep PPid $p/status; fi; done"});
  EXPECT_NE(r.out.find("PPid:\t1\n"), std::string::npos) << r.out;
}

TEST_F(ExecTest, StoppingTheContainerEndsItsExecs) {
  ASSERT_EQ(exec({"-d", "box", "sleep", "500"}).exit_code, 0);
  auto stop = st_.berth({"stop", "-t", "1", "box"});
  EXPECT_EQ(stop.exit_code, 0) << stop.err;
  EXPECT_FALSE(cgroup_exists(id_));
}

}  // namespace
}  // namespace berth::test
