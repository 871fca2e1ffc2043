// Escapes through `exec` and `cp` that runc and Docker have had, tried for real:
//   * CVE-2019-5736: a container makes the engine's own binary run inside it (an executable
//     "#!/proc/self/exe"), keeps a handle on it and writes the host binary through it;
//   * CVE-2024-21626: a leaked host fd used as the working directory (-w /proc/self/fd/N);
//   * fds of the host reaching the exec'd process;
//   * `cp` through symlinks that point out of the container.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "tests/integration/container/container_helpers.h"

namespace berth::test {
namespace {

namespace fs = std::filesystem;

class ExecEscapeTest : public BoxTest {
 protected:
  RunResult exec(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {"exec"};
    argv.insert(argv.end(), args.begin(), args.end());
    return st_.berth(argv);
  }
};

// The attack runs against copies of the binaries, so a failure cannot damage the build.
TEST_F(ExecEscapeTest, ProcSelfExeOfTheEngineCannotBeOverwritten) {
  const fs::path bin = st_.dir() / "bin";
  fs::create_directories(bin);
  const fs::path build = fs::path(BERTH_BIN).parent_path();
  for (const char* f : {"berth", "berth-monitor"})
    fs::copy_file(build / f, bin / f, fs::copy_options::overwrite_existing);
  const std::string before = read_file_text(bin / "berth-monitor");
  const std::vector<std::string> base = {(bin / "berth").string(), "--root", st_.root().string(),
                                         "--runroot", st_.runroot().string()};
  auto berth = [&](std::vector<std::string> args) {
    args.insert(args.begin(), base.begin(), base.end());
    return run_command(args, "", 30);
  };
  ASSERT_EQ(
      berth({"exec", "box", "sh", "-c", "printf '#!/proc/self/exe\\n' > /evil; chmod +x /evil"})
          .exit_code,
      0);
  // `exec -i box /evil` with a stdin that stays open: whatever the kernel runs as the
  // interpreter keeps running inside the container, reading it.
  int in[2];
  ASSERT_EQ(::pipe(in), 0);
  pid_t cli = ::fork();
  if (cli == 0) {
    ::dup2(in[0], 0);
    ::close(in[0]);
    ::close(in[1]);
    int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, 1);
    ::dup2(null, 2);
    std::vector<char*> argv;
    std::vector<std::string> args = base;
    for (const char* a : {"exec", "-i", "box", "/evil"}) args.push_back(a);
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(in[0]);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  // The container keeps a handle on that process's executable, ends the process, and writes
  // through the handle (the published exploit's steps).
  auto r = berth({"exec", "box", "sh", "-c",
                  "for d in /proc/[0-9]*; do case \"$(tr '\\0' ' ' < $d/cmdline)\" in "
                  "'/proc/self/exe /evil'*) p=${d#/proc/};; esac; done; "
                  "[ -n \"$p\" ] || { echo NOPROC; exit 3; }; "
                  "exec 7< /proc/$p/exe || exit 4; kill -9 $p; sleep 0.3; "
                  "if echo PWNED >> /proc/self/fd/7; then echo WROTE; else echo BLOCKED; fi"});
  ::close(in[1]);
  ::waitpid(cli, nullptr, 0);
  EXPECT_NE(r.out.find("BLOCKED"), std::string::npos) << r.out << r.err;
  EXPECT_NE(r.err.find("Read-only file system"), std::string::npos) << r.err;
  EXPECT_EQ(read_file_text(bin / "berth-monitor"), before);
}

TEST_F(ExecEscapeTest, WorkdirThroughProcSelfFdStaysInside) {
  // A host directory fd leaked to berth by its caller (no O_CLOEXEC), and the usual suspects.
  int dir = ::open("/", O_RDONLY | O_DIRECTORY);
  ASSERT_GE(dir, 0);
  ASSERT_EQ(::dup2(dir, 7), 7);
  ::close(dir);
  for (int fd = 3; fd <= 12; ++fd) {
    auto r = exec({"-w", "/proc/self/fd/" + std::to_string(fd), "box", "sh", "-c",
                   "pwd; ls ..; test -e /proc/1/root/bin/busybox"});
    EXPECT_NE(r.exit_code, 0) << "fd " << fd << ": " << r.out;
    EXPECT_EQ(r.out.find("lost+found"), std::string::npos) << r.out;
  }
  ::close(7);
}

TEST_F(ExecEscapeTest, ExecdProcessHasOnlyStdio) {
  int leaked = ::open("/etc/hostname", O_RDONLY);
  ASSERT_GE(leaked, 0);
  ASSERT_EQ(::dup2(leaked, 50), 50);
  ::close(leaked);
  auto r = exec({"box", "ls", "/proc/self/fd"});
  ::close(50);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "0\n1\n2\n3\n");  // 3: ls's own directory
  r = exec({"-t", "box", "ls", "-1", "/proc/self/fd"});
  EXPECT_EQ(r.out, "0\r\n1\r\n2\r\n3\r\n");
}

TEST_F(ExecEscapeTest, CpResolvesSymlinksInsideTheContainer) {
  const std::string marker = "berth-cp-marker-" + unique_name("m");
  const fs::path host_marker = fs::path("/tmp") / marker;
  { std::ofstream(host_marker) << "host secret\n"; }
  ASSERT_EQ(exec({"box", "sh", "-c",
                  "ln -s / /hostroot; ln -s ../../../../../.. /up; ln -s /tmp/" + marker +
                      "-new /etc/evil"})
                .exit_code,
            0);
  const fs::path out = st_.dir() / "out";
  for (const char* via : {"/hostroot/tmp/", "/up/tmp/"}) {
    auto r = st_.berth({"cp", "box:" + std::string(via) + marker, out.string()});
    EXPECT_NE(r.exit_code, 0) << via;
    // Resolved in the container's root, the path names nothing there.
    EXPECT_NE(r.err.find("Could not find the file"), std::string::npos) << via << ": " << r.err;
    EXPECT_FALSE(fs::exists(out)) << via;
  }
  // Into the container through the same links: the files land inside it.
  const fs::path payload = st_.dir() / "payload";
  { std::ofstream(payload) << "payload\n"; }
  auto r = st_.berth({"cp", payload.string(), "box:/up/tmp/" + marker + "-in"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(fs::exists(fs::path("/tmp") / (marker + "-in")));
  EXPECT_EQ(exec({"box", "cat", "/tmp/" + marker + "-in"}).out, "payload\n");
  // Onto a symlink that points at a host path: the link is replaced, nothing is written out.
  r = st_.berth({"cp", payload.string(), "box:/etc/evil"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(fs::exists(fs::path("/tmp") / (marker + "-new")));
  EXPECT_EQ(exec({"box", "cat", "/etc/evil"}).out, "payload\n");
  // The same for a stopped container (its overlay mounted privately).
  ASSERT_EQ(st_.berth({"stop", "-t", "0", "box"}).exit_code, 0);
  r = st_.berth({"cp", "box:/hostroot/tmp/" + marker, out.string()});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_FALSE(fs::exists(out));
  r = st_.berth({"cp", payload.string(), "box:/up/tmp/" + marker + "-stopped"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(fs::exists(fs::path("/tmp") / (marker + "-stopped")));
  fs::remove(host_marker);
}

}  // namespace
}  // namespace berth::test

namespace berth::test {
namespace {

// The monitor (and so the container's init, its clone, until execve) runs from a read-only
// mount too: a `run` entrypoint "#!/proc/self/exe" reaches no writable host binary.
TEST_F(ExecEscapeTest, ExecdProcessHasTheContainersCapabilitiesAndSeccomp) {
  auto r =
      exec({"box", "grep", "-E", "^(CapEff|CapBnd|CapInh|CapAmb|Seccomp):", "/proc/self/status"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("CapEff:\t00000000a80425fb"), std::string::npos) << r.out;  // Docker's 14
  EXPECT_NE(r.out.find("CapBnd:\t00000000a80425fb"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("CapInh:\t0000000000000000"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("CapAmb:\t0000000000000000"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Seccomp:\t2"), std::string::npos) << r.out;
  // The filter works: mount(2) is refused in an exec'd shell as in the container's init.
  auto m = exec({"box", "mount", "-t", "tmpfs", "none", "/mnt"});
  EXPECT_NE(m.exit_code, 0) << m.out;
  // A container made with fewer rights gives its exec'd processes no more.
  ASSERT_EQ(st_.berth({"run", "-d", "--name", "weak", "--cap-drop", "ALL", "--security-opt",
                       "no-new-privileges", "busybox", "sleep", "1000"})
                .exit_code,
            0);
  auto w = st_.berth({"exec", "weak", "grep", "-E", "^(CapEff|NoNewPrivs):", "/proc/self/status"});
  EXPECT_EQ(w.out, "CapEff:\t0000000000000000\nNoNewPrivs:\t1\n") << w.err;
}

TEST(MonitorBinary, RunsFromAReadOnlyMount) {
  if (!is_root()) GTEST_SKIP() << "needs root";
  TempState st;
  st.import_busybox();
  auto r = st.berth({"run", "-d", "--name", "ro", "busybox", "sleep", "1000"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = inspect(st, "ro");
  auto state = nlohmann::json::parse(
      read_file_text(st.root() / "containers" / j["Id"].get<std::string>() / "state.json"));
  const std::string exe = "/proc/" + std::to_string(state["monitor_pid"].get<int>()) + "/exe";
  int fd = ::open(exe.c_str(), O_PATH | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  struct statvfs vfs {};
  ASSERT_EQ(::fstatvfs(fd, &vfs), 0);
  ::close(fd);
  EXPECT_TRUE(vfs.f_flag & ST_RDONLY);
  EXPECT_TRUE(vfs.f_flag & ST_NOSUID);
}

}  // namespace
}  // namespace berth::test
