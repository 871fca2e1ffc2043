// `berth run` end to end: output, exit codes, the image config and the flags that change it,
// stdin, ttys, and what the container's process sees of the host (only fds 0, 1, 2).
#include <gtest/gtest.h>

#include "tests/integration/container/container_helpers.h"

namespace berth::test {
namespace {

class RunTest : public ::testing::Test {
 protected:
  void SetUp() override {
    BERTH_NEED_ROOT();
    st_.import_busybox();
  }
  TempState st_;
};

TEST_F(RunTest, EchoPrintsHello) {
  auto r = st_.berth({"run", "--rm", "busybox", "echo", "hello"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "hello\n");
  EXPECT_EQ(trim(st_.berth({"ps", "-aq"}).out), "");  // --rm removed it
}

TEST_F(RunTest, ExitCodeIsTheContainers) {
  auto r = st_.berth({"run", "--rm", "busybox", "sh", "-c", "exit 3"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
}

TEST_F(RunTest, UnknownCommandExits127WithOneLine) {
  auto r = st_.berth({"run", "--rm", "busybox", "nosuchcmd"});
  EXPECT_EQ(r.exit_code, 127);
  EXPECT_EQ(r.err, "Error: exec: \"nosuchcmd\": executable file not found in $PATH\n");
  EXPECT_EQ(trim(st_.berth({"ps", "-aq"}).out), "");
}

TEST_F(RunTest, NotExecutableExits126) {
  auto r = st_.berth({"run", "--rm", "busybox", "/etc/passwd"});
  EXPECT_EQ(r.exit_code, 126);
  EXPECT_NE(r.err.find("permission denied"), std::string::npos) << r.err;
}

TEST_F(RunTest, UnknownImageExits125) {
  // --pull never: without it berth would ask docker.io, and tests send nothing off the host.
  auto r = st_.berth({"run", "--rm", "--pull", "never", "nosuchimage", "true"});
  EXPECT_EQ(r.exit_code, 125);
  EXPECT_NE(r.err.find("nosuchimage"), std::string::npos) << r.err;
}

TEST_F(RunTest, AFailedPullExits125) {
  // A registry on a loopback port where nothing listens: the pull fails at once, locally.
  auto r = st_.berth({"run", "--rm", "127.0.0.1:1/nosuchimage", "true"});
  EXPECT_EQ(r.exit_code, 125) << r.err;
  EXPECT_NE(r.err.find("Unable to find image '127.0.0.1:1/nosuchimage:latest' locally"),
            std::string::npos)
      << r.err;
}

TEST_F(RunTest, FailedStartKeepsCreatedRecordWithError) {
  auto r = st_.berth({"run", "--name", "bad", "busybox", "nosuchcmd"});
  EXPECT_EQ(r.exit_code, 127);
  auto j = inspect(st_, "bad");
  EXPECT_EQ(j["State"]["Status"], "created");
  EXPECT_EQ(j["State"]["ExitCode"], 127);
  EXPECT_NE(j["State"]["Error"].get<std::string>().find("nosuchcmd"), std::string::npos);
}

TEST_F(RunTest, OnlyStdioFdsReachTheContainer) {
  auto r = st_.berth({"run", "--rm", "busybox", "ls", "/proc/self/fd"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "0\n1\n2\n3\n");  // 3 is ls's own directory fd
  auto id = trim(st_.berth({"run", "-d", "busybox", "sleep", "30"}).out);
  auto j = inspect(st_, id);
  int pid = j["State"]["Pid"];
  std::vector<std::string> fds;
  for (auto& e : std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd"))
    fds.push_back(e.path().filename());
  std::sort(fds.begin(), fds.end());
  EXPECT_EQ(fds, (std::vector<std::string>{"0", "1", "2"}));
}

TEST_F(RunTest, EnvWorkdirUser) {
  auto r = st_.berth({"run", "--rm", "-e", "FOO=bar", "-e", "PATH=/bin", "-w", "/tmp/work", "-u",
                      "www-data", "busybox", "sh", "-c", "echo $FOO $PATH; pwd; id; echo $HOME"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "bar /bin\n/tmp/work\nuid=33(www-data) gid=33(www-data)\n/var/www\n");
}

TEST_F(RunTest, NumericUserAndGroup) {
  auto r = st_.berth({"run", "--rm", "-u", "1234:daemon", "busybox", "id"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "uid=1234 gid=1(daemon)\n");
  r = st_.berth({"run", "--rm", "-u", "nosuchuser", "busybox", "id"});
  EXPECT_EQ(r.exit_code, 125);
  EXPECT_NE(r.err.find("unable to find user nosuchuser"), std::string::npos) << r.err;
}

TEST_F(RunTest, EnvFileAndHostPassThrough) {
  auto file = st_.dir() / "env";
  std::ofstream(file) << "# comment\nA=1\n\nB=two words\n";
  auto r = st_.berth({"run", "--rm", "--env-file", file.string(), "-e", "A=3", "busybox", "sh",
                      "-c", "echo $A; echo $B"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "3\ntwo words\n");
}

TEST_F(RunTest, HostnameAndEtcFiles) {
  auto r = st_.berth({"run", "--rm", "--hostname", "myhost", "busybox", "sh", "-c",
                      "hostname; cat /etc/hostname; grep -c localhost /etc/hosts"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "myhost\nmyhost\n2\n");
}

TEST_F(RunTest, NamespacesAndMounts) {
  auto r = st_.berth({"run", "--rm", "busybox", "sh", "-c",
                      "echo $$; ls /dev; ip link 2>/dev/null | grep -c '^[0-9]'; "
                      "touch /sys/x 2>/dev/null || echo sys-ro"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.starts_with("1\n")) << r.out;
  for (const char* dev : {"null", "zero", "full", "random", "urandom", "tty", "pts", "shm",
                          "mqueue", "ptmx", "fd", "stdin", "stdout", "stderr"})
    EXPECT_NE(r.out.find(std::string(dev) + "\n"), std::string::npos) << dev;
  EXPECT_NE(r.out.find("sys-ro"), std::string::npos);
}

TEST_F(RunTest, StdinIsForwardedWithI) {
  auto r = st_.berth({"run", "--rm", "-i", "busybox", "cat"}, "hi\n");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "hi\n");
  r = st_.berth({"run", "--rm", "busybox", "cat"}, "ignored\n");  // no -i: stdin is empty
  EXPECT_EQ(r.out, "");
}

TEST_F(RunTest, TtyGivesAPty) {
  std::string cmd = std::string(BERTH_BIN) + " --root " + st_.root().string() + " --runroot " +
                    st_.runroot().string() + " run --rm -t busybox tty";
  auto r = run_command({"/usr/bin/script", "-qec", cmd, "/dev/null"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.starts_with("/dev/pts/")) << r.out;
}

TEST_F(RunTest, TtyGetsTheCallersWindowSize) {
  std::string cmd = "stty rows 30 cols 100; " + std::string(BERTH_BIN) + " --root " +
                    st_.root().string() + " --runroot " + st_.runroot().string() +
                    " run --rm -it busybox stty size";
  auto r = run_command({"/usr/bin/script", "-qec", cmd, "/dev/null"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("30 100"), std::string::npos) << r.out;
}

TEST_F(RunTest, StdoutAndStderrStaySeparate) {
  auto r = st_.berth({"run", "--rm", "busybox", "sh", "-c", "echo out; echo err >&2"});
  EXPECT_EQ(r.out, "out\n");
  EXPECT_EQ(r.err, "err\n");
}

TEST_F(RunTest, SignalsReachTheContainer) {
  // An attached run forwards SIGTERM: the shell's trap runs and sets the exit code.
  std::vector<std::string> argv = {BERTH_BIN,
                                   "--root",
                                   st_.root().string(),
                                   "--runroot",
                                   st_.runroot().string(),
                                   "run",
                                   "--rm",
                                   "busybox",
                                   "sh",
                                   "-c",
                                   "trap 'exit 42' TERM; echo ready; while :; do sleep 0.05; done"};
  int out[2];
  ASSERT_EQ(::pipe(out), 0);
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(out[1], 1);
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    _exit(99);
  }
  ::close(out[1]);
  char buf[16] = {};
  ASSERT_GT(::read(out[0], buf, sizeof buf), 0);  // "ready"
  ::kill(pid, SIGTERM);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ::close(out[0]);
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 42);
}

}  // namespace
}  // namespace berth::test
