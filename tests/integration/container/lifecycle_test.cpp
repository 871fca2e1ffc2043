// Detached containers and the verbs around them: ps, logs, stop, kill, restart, wait, rm,
// inspect; what is left after rm and after a lost monitor; concurrency of 20 parallel runs.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "tests/integration/container/container_helpers.h"

namespace berth::test {
namespace {

using Clock = std::chrono::steady_clock;

class LifecycleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    BERTH_NEED_ROOT();
    st_.import_busybox();
  }
  std::string run_d(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {"run", "-d"};
    argv.insert(argv.end(), args.begin(), args.end());
    auto r = st_.berth(argv);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return trim(r.out);
  }
  TempState st_;
};

TEST_F(LifecycleTest, WebServerRunsStopsAndLeavesNothing) {
  std::string id = run_d({"--name", "web", "busybox", "httpd", "-f", "-p", "8080"});
  EXPECT_EQ(id.size(), 64u);
  auto ps = st_.berth({"ps"});
  EXPECT_NE(ps.out.find("web"), std::string::npos);
  EXPECT_NE(ps.out.find("Up "), std::string::npos);
  EXPECT_NE(ps.out.find(id.substr(0, 12)), std::string::npos);
  EXPECT_NE(ps.out.find("\"httpd -f -p 8080\""), std::string::npos) << ps.out;
  EXPECT_EQ(st_.berth({"logs", "web"}).exit_code, 0);
  auto j = inspect(st_, "web");
  pid_t pid = j["State"]["Pid"];
  EXPECT_TRUE(process_alive(pid));
  EXPECT_TRUE(cgroup_exists(id));

  auto t0 = Clock::now();
  auto stop = st_.berth({"stop", "-t", "2", "web"});
  auto took = Clock::now() - t0;
  EXPECT_EQ(stop.exit_code, 0) << stop.err;
  EXPECT_EQ(stop.out, "web\n");
  EXPECT_LT(took, std::chrono::seconds(4));
  j = inspect(st_, "web");
  EXPECT_EQ(j["State"]["Status"], "exited");
  EXPECT_EQ(j["State"]["ExitCode"], 137);  // httpd as PID 1 ignores SIGTERM: killed
  EXPECT_NE(st_.berth({"ps", "-a"}).out.find("Exited (137)"), std::string::npos);

  auto rm = st_.berth({"rm", "web"});
  EXPECT_EQ(rm.exit_code, 0) << rm.err;
  EXPECT_EQ(rm.out, "web\n");
  EXPECT_FALSE(mounted_below(st_.dir()));
  EXPECT_FALSE(cgroup_exists(id));
  EXPECT_FALSE(process_alive(pid));
  EXPECT_FALSE(std::filesystem::exists(st_.root() / "containers" / id));
  EXPECT_EQ(st_.berth({"ps", "-aq"}).out, "");
}

TEST_F(LifecycleTest, StopReturnsPromptlyWhenTheProcessExits) {
  run_d({"--name", "polite", "busybox", "sh", "-c",
         "trap 'exit 0' TERM; while :; do sleep 0.05; done"});
  auto t0 = Clock::now();
  EXPECT_EQ(st_.berth({"stop", "polite"}).exit_code, 0);
  EXPECT_LT(Clock::now() - t0, std::chrono::seconds(3));
  EXPECT_EQ(inspect(st_, "polite")["State"]["ExitCode"], 0);
}

TEST_F(LifecycleTest, RmRefusesRunningUnlessForced) {
  std::string id = run_d({"--name", "busy", "busybox", "sleep", "60"});
  auto r = st_.berth({"rm", "busy"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("You cannot remove a running container"), std::string::npos) << r.err;
  EXPECT_EQ(st_.berth({"rm", "-f", "busy"}).exit_code, 0);
  EXPECT_FALSE(cgroup_exists(id));
  EXPECT_FALSE(mounted_below(st_.dir()));
}

TEST_F(LifecycleTest, UnknownContainer) {
  for (const char* verb : {"stop", "rm", "kill", "logs", "wait", "start", "restart"}) {
    auto r = st_.berth({verb, "nosuch"});
    EXPECT_EQ(r.exit_code, 1) << verb;
    EXPECT_EQ(r.err, "Error: No such container: nosuch\n") << verb;
  }
}

TEST_F(LifecycleTest, MonitorKilledMeansExitedAndCleanRm) {
  std::string id = run_d({"--name", "victim", "busybox", "sleep", "60"});
  auto state = nlohmann::json::parse(read_file_text(st_.root() / "containers" / id / "state.json"));
  pid_t monitor = state["monitor_pid"];
  pid_t pid = state["pid"];
  ASSERT_GT(monitor, 0);
  ASSERT_EQ(::kill(monitor, SIGKILL), 0);
  for (int i = 0; i < 100 && process_alive(pid); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_FALSE(process_alive(pid));  // PR_SET_PDEATHSIG
  auto ps = st_.berth({"ps", "-a"});
  EXPECT_NE(ps.out.find("Exited (255)"), std::string::npos) << ps.out;
  auto j = inspect(st_, "victim");
  EXPECT_EQ(j["State"]["Status"], "exited");
  EXPECT_EQ(j["State"]["Error"], "monitor lost");
  EXPECT_EQ(st_.berth({"rm", "victim"}).exit_code, 0);
  EXPECT_FALSE(cgroup_exists(id));
  EXPECT_FALSE(mounted_below(st_.dir()));
}

TEST_F(LifecycleTest, TwentyParallelRunsLoseNothing) {
  std::vector<pid_t> kids;
  for (int i = 0; i < 20; ++i) {
    pid_t p = ::fork();
    if (p == 0) {
      std::string name = "par" + std::to_string(i);
      auto r = st_.berth({"run", "-d", "--name", name, "busybox", "sleep", "30"});
      _exit(r.exit_code == 0 && trim(r.out).size() == 64 ? 0 : 1);
    }
    kids.push_back(p);
  }
  for (pid_t p : kids) {
    int status = 0;
    ::waitpid(p, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  auto ps = st_.berth({"ps", "--format", "json"});
  EXPECT_EQ(count_lines(ps.out), 20) << ps.out;
  for (int i = 0; i < 20; ++i)
    EXPECT_NE(ps.out.find("\"Names\":\"par" + std::to_string(i) + "\""), std::string::npos);
}

TEST_F(LifecycleTest, DuplicateNameRefused) {
  std::string id = run_d({"--name", "dup", "busybox", "sleep", "30"});
  auto r = st_.berth({"run", "-d", "--name", "dup", "busybox", "true"});
  EXPECT_EQ(r.exit_code, 125);
  EXPECT_EQ(r.err,
            "Error: Conflict. The container name \"/dup\" is already in use by container \"" + id +
                "\". You have to remove (or rename) that container to be able to "
                "reuse that name.\n");
  EXPECT_EQ(count_lines(st_.berth({"ps", "-aq"}).out), 1);
}

TEST_F(LifecycleTest, LogsFollowTailTimestamps) {
  run_d({"--name", "talk", "busybox", "sh", "-c",
         "for i in 1 2 3; do echo line$i; sleep 0.2; done; echo oops >&2"});
  auto t0 = Clock::now();
  auto r = st_.berth({"logs", "-f", "talk"});  // returns when the container exits
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "line1\nline2\nline3\n");
  EXPECT_EQ(r.err, "oops\n");
  EXPECT_LT(Clock::now() - t0, std::chrono::seconds(5));
  r = st_.berth({"logs", "--tail", "1", "talk"});
  EXPECT_EQ(r.out + r.err, "oops\n");
  r = st_.berth({"logs", "-t", "--tail", "2", "talk"});
  EXPECT_EQ(r.out.size() > 30 && r.out[4] == '-' && r.out.find("Z line3\n") != std::string::npos,
            true)
      << r.out;
  r = st_.berth({"logs", "--since", "2000-01-01", "talk"});
  EXPECT_EQ(r.out, "line1\nline2\nline3\n");
  EXPECT_EQ(st_.berth({"logs", "--since", "1h", "--until", "2000-01-01", "talk"}).out, "");
}

TEST_F(LifecycleTest, WaitKillRestart) {
  run_d({"--name", "ww", "busybox", "sh", "-c", "sleep 0.3; exit 5"});
  auto r = st_.berth({"wait", "ww"});
  EXPECT_EQ(r.out, "5\n");
  run_d({"--name", "kk", "busybox", "sh", "-c",
         "trap 'echo usr1; exit 9' USR1; echo up; while :; do sleep 0.05; done"});
  for (int i = 0; i < 50 && st_.berth({"logs", "kk"}).out != "up\n"; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(st_.berth({"kill", "-s", "USR1", "kk"}).out, "kk\n");
  EXPECT_EQ(st_.berth({"wait", "kk"}).out, "9\n");
  EXPECT_EQ(st_.berth({"logs", "kk"}).out, "up\nusr1\n");
  EXPECT_EQ(st_.berth({"kill", "kk"}).exit_code, 1);  // not running
  EXPECT_EQ(st_.berth({"restart", "kk"}).out, "kk\n");
  EXPECT_EQ(inspect(st_, "kk")["State"]["Status"], "running");
  EXPECT_EQ(st_.berth({"kill", "kk"}).exit_code, 0);
  EXPECT_EQ(st_.berth({"wait", "kk"}).out, "137\n");
}

TEST_F(LifecycleTest, CreateThenStart) {
  auto r = st_.berth({"create", "--name", "later", "-l", "tier=web", "busybox", "echo", "hi"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(st_.berth({"ps", "-a"}).out.find("Created"), std::string::npos);
  r = st_.berth({"start", "-a", "later"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "hi\n");
  EXPECT_EQ(st_.berth({"start", "later"}).out, "later\n");
  EXPECT_EQ(st_.berth({"wait", "later"}).out, "0\n");
  EXPECT_EQ(st_.berth({"logs", "later"}).out, "hi\nhi\n");
}

TEST_F(LifecycleTest, PsFiltersAndFormats) {
  run_d({"--name", "fa", "-l", "tier=web", "busybox", "sleep", "30"});
  ASSERT_EQ(st_.berth({"run", "--name", "fb", "-l", "tier=db", "busybox", "true"}).exit_code, 0);
  EXPECT_EQ(count_lines(st_.berth({"ps", "-q"}).out), 1);
  EXPECT_EQ(count_lines(st_.berth({"ps", "-aq"}).out), 2);
  auto r = st_.berth({"ps", "-a", "--filter", "label=tier=db", "--format", "json"});
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["Names"], "fb");
  EXPECT_EQ(j["Networks"], "bridge");
  EXPECT_EQ(j["State"], "exited");
  EXPECT_TRUE(j["Status"].get<std::string>().starts_with("Exited (0) "));
  for (const char* key : {"Command", "CreatedAt", "ID", "Image", "Labels", "LocalVolumes", "Mounts",
                          "Names", "Networks", "Ports", "RunningFor", "Size", "State", "Status"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_EQ(
      trim(st_.berth({"ps", "--filter", "status=exited", "--format", "json"}).out).find("fb") !=
          std::string::npos,
      true);
  EXPECT_EQ(count_lines(st_.berth({"ps", "-a", "--filter", "name=f"}).out), 3);  // header + 2
  EXPECT_EQ(count_lines(st_.berth({"ps", "-a", "--filter", "label=tier"}).out), 3);
  EXPECT_EQ(st_.berth({"ps", "--filter", "bogus=1"}).exit_code, 125);
}

TEST_F(LifecycleTest, InspectHasDockersShape) {
  std::string id = run_d({"--name", "shape", "-e", "X=1", "-w", "/tmp", "busybox", "sleep", "30"});
  auto j = inspect(st_, "shape");
  EXPECT_EQ(j["Id"], id);
  EXPECT_EQ(j["Name"], "/shape");
  EXPECT_EQ(j["Path"], "sleep");
  EXPECT_EQ(j["Args"], nlohmann::json::array({"30"}));
  EXPECT_TRUE(j["Image"].get<std::string>().starts_with("sha256:"));
  for (const char* key : {"Status", "Running", "Paused", "Restarting", "OOMKilled", "Dead", "Pid",
                          "ExitCode", "Error", "StartedAt", "FinishedAt"})
    EXPECT_TRUE(j["State"].contains(key)) << key;
  EXPECT_EQ(j["State"]["Running"], true);
  for (const char* key : {"Hostname", "Env", "Cmd", "Entrypoint", "WorkingDir", "User", "Labels",
                          "Image", "Tty", "OpenStdin"})
    EXPECT_TRUE(j["Config"].contains(key)) << key;
  EXPECT_EQ(j["Config"]["WorkingDir"], "/tmp");
  EXPECT_EQ(j["Config"]["Hostname"], id.substr(0, 12));
  EXPECT_TRUE(j.contains("HostConfig") && j.contains("Mounts") && j.contains("NetworkSettings"));
  EXPECT_EQ(st_.berth({"inspect", "-f", "{{.State.Status}} {{.Name}} {{json .Args}}", "shape"}).out,
            "running /shape [\"30\"]\n");
  // The record the image store reads to refuse removing an image in use.
  auto cfg = nlohmann::json::parse(read_file_text(st_.root() / "containers" / id / "config.json"));
  EXPECT_TRUE(cfg["image_id"].get<std::string>().starts_with("sha256:"));
  auto rmi = st_.berth({"rmi", "busybox"});
  EXPECT_NE(rmi.exit_code, 0);
  EXPECT_NE(rmi.err.find("is using its referenced image"), std::string::npos) << rmi.err;
}

TEST_F(LifecycleTest, ContainerGroupAliases) {
  run_d({"--name", "grp", "busybox", "sleep", "30"});
  for (const char* ls : {"ls", "list", "ps"}) {
    auto r = st_.berth({"container", ls});
    EXPECT_EQ(r.exit_code, 0) << ls;
    EXPECT_NE(r.out.find("grp"), std::string::npos) << ls;
  }
  EXPECT_EQ(st_.berth({"container", "inspect", "grp"}).exit_code, 0);
  EXPECT_EQ(st_.berth({"container", "stop", "-t", "0", "grp"}).out, "grp\n");
  EXPECT_EQ(st_.berth({"container", "remove", "grp"}).out, "grp\n");
  auto r = st_.berth({"container", "run", "--rm", "busybox", "echo", "ok"});
  EXPECT_EQ(r.out, "ok\n");
}

}  // namespace
}  // namespace berth::test
