// The caller's own stdout/stderr never reach a process in a container. A user who runs
// `berth exec ctr CMD >> host.log` hands berth a host file; if berth passed that fd on, the
// container could read the file back through /proc/self/fd/1 (a magic link that reopens it)
// and keep writing to it after exec returned. berth relays the streams through pipes instead,
// as Docker does. The harness gives berth pipes of its own, so these tests run berth through
// a shell that redirects it to real host files.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "tests/integration/container/container_helpers.h"

namespace berth::test {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

class ExecFdRelayTest : public BoxTest {
 protected:
  // A host file outside the container, mode 0600, holding a secret: where the caller sends
  // berth's output.
  fs::path host_file(const std::string& name) {
    const fs::path p = st_.dir() / name;
    { std::ofstream(p) << "host secret\n"; }
    ::chmod(p.c_str(), 0600);
    return p;
  }
  // `[PREFIX |] berth ARGS >> out 2>> err`, through /bin/sh.
  RunResult berth_to_files(const std::vector<std::string>& args, const fs::path& out,
                           const fs::path& err, const std::string& prefix = "") {
    std::string line = prefix + quote(BERTH_BIN) + " --root " + quote(st_.root().string()) +
                       " --runroot " + quote(st_.runroot().string());
    for (const auto& a : args) line += " " + quote(a);
    line += " >> " + quote(out.string()) + " 2>> " + quote(err.string());
    return run_command({"/bin/sh", "-c", line}, "", 30);
  }
  // What the process appended after the secret.
  static std::string appended(const fs::path& p) {
    const std::string text = read_file_text(p);
    EXPECT_TRUE(text.starts_with("host secret\n")) << text;
    return text.starts_with("host secret\n") ? text.substr(12) : text;
  }
};

TEST_F(ExecFdRelayTest, StdoutAndStderrArePipesAndStdinIsNull) {
  const fs::path out = host_file("out.log"), err = host_file("err.log");
  const auto start = Clock::now();
  auto r = berth_to_files({"exec", "box", "sh", "-c",
                           "readlink /proc/self/fd/1; readlink /proc/self/fd/0; "
                           "readlink /proc/self/fd/2 >&2"},
                          out, err);
  const auto took = Clock::now() - start;
  ASSERT_EQ(r.exit_code, 0) << r.err << read_file_text(err);
  const std::string o = appended(out), e = appended(err);
  EXPECT_TRUE(o.starts_with("pipe:[")) << o;
  EXPECT_NE(o.find("]\n/dev/null\n"), std::string::npos) << o;  // no -i: an empty stdin
  EXPECT_TRUE(e.starts_with("pipe:[")) << e;                    // a stream of its own
  EXPECT_EQ(e.find("/dev/null"), std::string::npos) << e;
  // Nothing holds the pipes after the exit: no wait for a grace period.
  EXPECT_LT(took, std::chrono::milliseconds(1500));
}

TEST_F(ExecFdRelayTest, HostFileCannotBeReadBackThroughProcSelfFd) {
  const fs::path out = host_file("out.log"), err = host_file("err.log");
  auto r = berth_to_files({"exec", "box", "sh", "-c",
                           "read -t 1 a < /proc/self/fd/1; read -t 1 b < /proc/self/fd/2; "
                           "echo \"got:$a:$b\" > /tmp/leak"},
                          out, err);
  EXPECT_EQ(r.exit_code, 0) << r.err << read_file_text(err);
  auto leak = exec_in_box({"cat", "/tmp/leak"});
  EXPECT_EQ(leak.out, "got::\n");
  EXPECT_EQ(leak.out.find("secret"), std::string::npos) << leak.out;
  EXPECT_EQ(appended(out), "");
}

TEST_F(ExecFdRelayTest, BackgroundProcessCannotWriteAfterExecReturned) {
  const fs::path out = host_file("out.log"), err = host_file("err.log");
  const auto start = Clock::now();
  auto r = berth_to_files(
      {"exec", "box", "sh", "-c",
       "exec 7>&1; (sleep 4; echo late >&7; echo late-err >&2) >/dev/null & echo early"},
      out, err);
  const auto took = Clock::now() - start;
  EXPECT_EQ(r.exit_code, 0) << r.err << read_file_text(err);
  // The output it left open is cut off after a grace period (Docker's: 2 s), before the write.
  EXPECT_LT(took, std::chrono::milliseconds(3500));
  std::this_thread::sleep_until(start + std::chrono::seconds(5));
  EXPECT_EQ(appended(out), "early\n");
  EXPECT_EQ(appended(err), "");
}

// The relay reads our stdin only while the process runs, and a process that stops reading
// (head) ends the exec with its own exit code; berth is not killed by SIGPIPE.
TEST_F(ExecFdRelayTest, InteractiveStdinIsRelayedUntilTheProcessStopsReading) {
  const fs::path out = host_file("out.log"), err = host_file("err.log");
  auto r = berth_to_files({"exec", "-i", "box", "sh", "-c", "head -n 2; readlink /proc/self/fd/0"},
                          out, err, "yes | ");
  EXPECT_EQ(r.exit_code, 0) << r.err << read_file_text(err);
  const std::string o = appended(out);
  EXPECT_TRUE(o.starts_with("y\ny\npipe:[")) << o;
  r = berth_to_files({"exec", "-i", "box", "sh", "-c", "cat; echo done $?"}, out, err,
                     "printf 'a\\nb' | ");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_TRUE(appended(out).ends_with("a\nbdone 0\n"));
}

// An attached `run`: the monitor holds the caller's fds and copies the container's pipes to
// them; the container's process has only pipes.
TEST_F(ExecFdRelayTest, AttachedRunGivesTheContainerPipes) {
  const fs::path out = host_file("out.log"), err = host_file("err.log");
  auto r = berth_to_files({"run", "--rm", "busybox", "sh", "-c",
                           "readlink /proc/self/fd/1; readlink /proc/self/fd/2 >&2; "
                           "read -t 1 a < /proc/self/fd/1; echo \"got:$a\""},
                          out, err);
  EXPECT_EQ(r.exit_code, 0) << r.err << read_file_text(err);
  const std::string o = appended(out);
  EXPECT_TRUE(o.starts_with("pipe:[")) << o;
  EXPECT_TRUE(o.ends_with("\ngot:\n")) << o;
  EXPECT_TRUE(appended(err).starts_with("pipe:["));
}

}  // namespace
}  // namespace berth::test
