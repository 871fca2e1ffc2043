// `berth compose logs` and an attached `berth compose up` end to end: the containers' lines
// merged and marked with Compose's prefixes (no colour when stdout is not a terminal),
// --no-log-prefix, --tail, a SERVICE filter, -f returning once the containers stop; `up`
// without -d returning when its containers exit, --abort-on-container-exit and --exit-code-from
// exit codes, and SIGINT (or SIGTERM) to an attached `up`: once stops the stack gracefully,
// twice kills it.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "tests/integration/compose/compose_fixture.h"

namespace berth::test {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Two services whose lines alternate in time, a second apart: alpha's first, then b's, ...;
// one line of alpha's goes to stderr.
const char* kAlternating = R"(
services:
  alpha:
    image: busybox
    command: ["sh", "-c", "echo a1; sleep 2; echo a2 >&2"]
  b:
    image: busybox
    command: ["sh", "-c", "sleep 1; echo b1; sleep 2; echo b2"]
)";

// `berth compose ... ARGS` running in the background, its stdout and stderr going to files;
// killed and reaped on destruction if it is still running.
class BerthChild {
 public:
  BerthChild(const TempState& st, const std::vector<std::string>& args) {
    static int count = 0;
    const std::string n = std::to_string(++count);
    out_ = st.dir() / ("child-out-" + n);
    err_ = st.dir() / ("child-err-" + n);
    std::vector<std::string> argv = {BERTH_BIN, "--root", st.root().string(), "--runroot",
                                     st.runroot().string()};
    argv.insert(argv.end(), args.begin(), args.end());
    pid_ = ::fork();
    if (pid_ == 0) {
      int o = ::open(out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      int e = ::open(err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (o < 0 || e < 0) _exit(98);
      ::dup2(o, 1);
      ::dup2(e, 2);
      std::vector<char*> a;
      for (auto& s : argv) a.push_back(s.data());
      a.push_back(nullptr);
      ::execv(a[0], a.data());
      _exit(99);
    }
  }
  ~BerthChild() {
    if (pid_ > 0 && !exited_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  std::string out() const { return read_all(out_); }
  std::string err() const { return read_all(err_); }
  // Waits up to timeout_s for text to appear on stdout.
  bool wait_for_output(const std::string& text, int timeout_s = 30) const {
    const auto end = Clock::now() + std::chrono::seconds(timeout_s);
    while (Clock::now() < end) {
      if (out().find(text) != std::string::npos) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }
  void signal(int sig) const { ::kill(pid_, sig); }
  // The exit status once it exited within timeout_s, or -1 (still running).
  int wait_exit(int timeout_s) {
    const auto end = Clock::now() + std::chrono::seconds(timeout_s);
    while (Clock::now() < end) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        exited_ = true;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return -1;
  }

 private:
  pid_t pid_ = -1;
  bool exited_ = false;
  fs::path out_, err_;
};

class ComposeLogs : public ComposeUp {
 protected:
  // `compose up -d`, then waits for the containers of services to exit.
  void up_and_wait(const std::vector<std::string>& services) {
    auto r = compose({"up", "-d"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    for (const auto& s : services) {
      auto w = st_.berth({"wait", project_ + "-" + s + "-1"});
      ASSERT_EQ(w.exit_code, 0) << w.err;
    }
  }
  std::vector<std::string> compose_args(const std::vector<std::string>& args) const {
    std::vector<std::string> a{"compose", "-f", (st_.dir() / "compose.yaml").string(), "-p",
                               project_};
    a.insert(a.end(), args.begin(), args.end());
    return a;
  }
  bool running(const std::string& service) {
    return inspect(st_, project_ + "-" + service + "-1")["State"]["Running"] == true;
  }
};

TEST_F(ComposeLogs, TwoServicesInterleavedWithTheirPrefixesAndNoColour) {
  write(kAlternating);
  up_and_wait({"alpha", "b"});
  auto r = compose({"logs"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "alpha-1  | a1\n"
            "b-1      | b1\n"
            "alpha-1  | a2\n"
            "b-1      | b2\n")
      << "merged by time, stderr on stdout too, padded to the longest name + 1";
  EXPECT_EQ(r.out.find('\033'), std::string::npos) << "no colour: stdout is not a terminal";
  r = compose({"logs", "-t"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("alpha-1  | 20", 0), 0u) << "the time after the prefix: " << r.out;
}

TEST_F(ComposeLogs, NoPrefixTailAndServiceFilter) {
  write(kAlternating);
  up_and_wait({"alpha", "b"});
  auto r = compose({"logs", "--no-log-prefix"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "a1\nb1\na2\nb2\n");
  r = compose({"logs", "--tail", "1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "alpha-1  | a2\nb-1      | b2\n") << "the last line of each container";
  r = compose({"logs", "-n", "0"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  r = compose({"logs", "b"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "b-1  | b1\nb-1  | b2\n") << "only b, padded for b alone";
  r = compose({"logs", "--index", "1", "b"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "b-1  | b1\nb-1  | b2\n");
  r = compose({"logs", "nope"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("no such service: nope"), std::string::npos) << r.err;
}

TEST_F(ComposeLogs, FollowReturnsOnceEveryContainerStopped) {
  write(R"(
services:
  slow:
    image: busybox
    command: ["sh", "-c", "echo start; sleep 2; echo end"]
  quick:
    image: busybox
    command: ["sh", "-c", "sleep 1; echo quick-done"]
)");
  ASSERT_EQ(compose({"up", "-d"}).exit_code, 0);
  const auto t0 = Clock::now();
  auto r = compose({"logs", "-f"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_LT(Clock::now() - t0, std::chrono::seconds(20));
  EXPECT_NE(r.out.find("slow-1   | start\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("slow-1   | end\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("quick-1  | quick-done\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("slow-1 exited with code 0\n"), std::string::npos) << r.out;
  EXPECT_LT(r.out.find("quick-done"), r.out.find("slow-1   | end")) << r.out;
}

TEST_F(ComposeLogs, AttachedUpReturnsWhenItsContainersExit) {
  write(R"(
services:
  web:
    image: busybox
    command: ["sh", "-c", "echo hello from web; sleep 1"]
  client:
    image: busybox
    command: ["sh", "-c", "echo hello from client; echo oops >&2; exit 0"]
    depends_on: [web]
)");
  auto r = compose({"up"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Attaching to client-1, web-1\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("web-1     | hello from web\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("client-1  | hello from client\n"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("client-1  | oops\n"), std::string::npos) << "stderr apart: " << r.err;
  EXPECT_NE(r.out.find("client-1 exited with code 0\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("web-1 exited with code 0\n"), std::string::npos)
      << "client exiting at once did not end up while web ran: " << r.out;
  EXPECT_EQ(r.out.find('\033'), std::string::npos);
}

TEST_F(ComposeLogs, AttachedUpFollowsRestartsAndOnlyTheAttachedServices) {
  write(R"(
services:
  web:
    image: busybox
    command: ["sh", "-c", "echo hello web; sleep 1"]
  flaky:
    image: busybox
    command: ["sh", "-c", "echo try; exit 1"]
    restart: on-failure:2
)");
  auto r = compose({"up"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto count = [](const std::string& text, const std::string& what) {
    int n = 0;
    for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
  };
  EXPECT_EQ(count(r.out, "flaky-1  | try\n"), 3) << "the first run and two restarts: " << r.out;
  EXPECT_EQ(count(r.out, "flaky-1 exited with code 1\n"), 3) << r.out;

  r = compose({"up", "--attach", "web", "--no-log-prefix"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Attaching to web-1\nhello web\n"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("try"), std::string::npos) << r.out;
  r = compose({"up", "--attach", "nope"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("cannot attach to services not included in up: nope"), std::string::npos)
      << r.err;
}

// A service that sleeps until killed and one that fails with 3 after a moment.
const char* kOneFails = R"(
services:
  sleeper:
    image: busybox
    command: ["sleep", "600"]
    stop_signal: SIGKILL
  failing:
    image: busybox
    command: ["sh", "-c", "sleep 1; echo failing now; exit 3"]
)";

TEST_F(ComposeLogs, AbortOnContainerExitOrFailureAndExitCodeFrom) {
  write(kOneFails);
  auto r = compose({"up", "--abort-on-container-exit"});
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_NE(r.out.find("failing-1 exited with code 3\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Aborting on container exit...\n"), std::string::npos) << r.out;
  EXPECT_FALSE(running("sleeper")) << "the stack is stopped";

  r = compose({"up", "--abort-on-container-failure"});
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_FALSE(running("sleeper"));

  r = compose({"up", "--exit-code-from", "sleeper"});
  EXPECT_EQ(r.exit_code, 137) << "sleeper was killed by the stop: " << r.out << r.err;
  EXPECT_FALSE(running("sleeper"));

  r = compose({"up", "--exit-code-from", "nope"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("no such service: nope"), std::string::npos) << r.err;
  r = compose({"up", "--wait", "--exit-code-from", "sleeper"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("--wait cannot be combined with --abort-on-container-exit"),
            std::string::npos)
      << r.err;
  r = compose({"up", "-d", "--abort-on-container-exit"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("--detach cannot be combined with --abort-on-container-exit"),
            std::string::npos)
      << r.err;
}

TEST_F(ComposeLogs, SigintOrSigtermStopsTheStackGracefully) {
  write(R"(
services:
  web:
    image: busybox
    command: ["sh", "-c", "trap 'echo got TERM; exit 0' TERM; echo ready; while :; do sleep 0.1; done"]
)");
  for (int sig : {SIGINT, SIGTERM}) {
    SCOPED_TRACE(sig);
    BerthChild up(st_, compose_args({"up"}));
    ASSERT_TRUE(up.wait_for_output("web-1  | ready")) << up.out() << up.err();
    EXPECT_NE(up.out().find("Attaching to web-1\n"), std::string::npos) << up.out();
    up.signal(sig);
    const int code = up.wait_exit(30);
    EXPECT_EQ(code, 130) << up.out() << up.err();
    EXPECT_NE(up.err().find("Gracefully stopping... (press Ctrl+C again to force)"),
              std::string::npos)
        << up.err();
    EXPECT_NE(up.err().find("Container " + project_ + "-web-1  Stopped"), std::string::npos)
        << up.err();
    EXPECT_FALSE(running("web"));
    EXPECT_EQ(inspect(st_, project_ + "-web-1")["State"]["ExitCode"], 0) << "it took the SIGTERM";
  }
}

TEST_F(ComposeLogs, ASecondSigintKillsAStackThatIgnoresSigterm) {
  write(R"(
services:
  stubborn:
    image: busybox
    command: ["sh", "-c", "trap '' TERM; echo ready; while :; do sleep 0.1; done"]
    stop_grace_period: 60s
)");
  BerthChild up(st_, compose_args({"up"}));
  ASSERT_TRUE(up.wait_for_output("stubborn-1  | ready")) << up.out() << up.err();
  const auto t0 = Clock::now();
  up.signal(SIGINT);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_EQ(up.wait_exit(0), -1) << "still stopping gracefully";
  up.signal(SIGINT);
  const int code = up.wait_exit(20);
  EXPECT_NE(code, -1) << "berth exits soon after the second SIGINT: " << up.err();
  EXPECT_LT(Clock::now() - t0, std::chrono::seconds(15));
  EXPECT_FALSE(running("stubborn"));
  EXPECT_EQ(inspect(st_, project_ + "-stubborn-1")["State"]["ExitCode"], 137);
}

}  // namespace
}  // namespace berth::test
