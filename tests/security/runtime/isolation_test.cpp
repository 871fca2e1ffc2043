// Isolation defaults seen from inside real busybox containers: the capability sets,
// seccomp and no_new_privs as /proc/self/status reports them, the syscalls Docker's profile
// blocks, masked and read-only kernel files, mount/unshare inside, a /proc symlink in the
// image, and CVE-2024-21626's working directory through a leaked fd.
#include <gtest/gtest.h>

#include "core/runtime/rootfs_hardening.h"
#include "tests/security/runtime/runtime_helpers.h"

namespace berth::test {
namespace {

// Docker's 14 default capabilities as a mask (CHOWN DAC_OVERRIDE FOWNER FSETID KILL SETGID
// SETUID SETPCAP NET_BIND_SERVICE NET_RAW SYS_CHROOT MKNOD AUDIT_WRITE SETFCAP).
constexpr const char* kDefaultCaps = "00000000a80425fb";

class Isolation : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!is_root()) GTEST_SKIP() << "needs root";
    st_.import_busybox();
  }
  std::string status(const std::vector<std::string>& flags) {
    std::vector<std::string> args = {"run", "--rm"};
    args.insert(args.end(), flags.begin(), flags.end());
    args.insert(args.end(), {"busybox", "cat", "/proc/self/status"});
    auto r = st_.berth(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  }
  TempState st_;
};

TEST_F(Isolation, CapabilitySetIsExactlyDockersDefault) {
  auto s = status({});
  EXPECT_EQ(status_field(s, "CapEff"), kDefaultCaps);
  EXPECT_EQ(status_field(s, "CapPrm"), kDefaultCaps);
  EXPECT_EQ(status_field(s, "CapBnd"), kDefaultCaps);
  EXPECT_EQ(status_field(s, "CapInh"), "0000000000000000");
  EXPECT_EQ(status_field(s, "CapAmb"), "0000000000000000");
}

TEST_F(Isolation, CapDropAllLeavesNoCapability) {
  auto s = status({"--cap-drop", "ALL"});
  EXPECT_EQ(status_field(s, "CapEff"), "0000000000000000");
  EXPECT_EQ(status_field(s, "CapBnd"), "0000000000000000");
}

TEST_F(Isolation, CapAddAndDropByNameWithOrWithoutPrefix) {
  // + NET_ADMIN (12), - CHOWN (0) and - CAP_KILL (5).
  auto s = status({"--cap-add", "net_admin", "--cap-drop", "CHOWN", "--cap-drop", "CAP_KILL"});
  EXPECT_EQ(status_field(s, "CapBnd"), "00000000a80435da");
  auto bad = st_.berth({"run", "--rm", "--cap-add", "CAP_NOPE", "busybox", "true"});
  EXPECT_EQ(bad.exit_code, 125);
  EXPECT_NE(bad.err.find("CAP_NOPE"), std::string::npos) << bad.err;
}

TEST_F(Isolation, NonRootUserHasNoEffectiveCapabilities) {
  auto s = status({"-u", "33"});
  EXPECT_EQ(status_field(s, "CapEff"), "0000000000000000");
  EXPECT_EQ(status_field(s, "CapBnd"), kDefaultCaps);
}

TEST_F(Isolation, SeccompFilterAndNoNewPrivileges) {
  auto s = status({});
  EXPECT_EQ(status_field(s, "Seccomp"), "2");
  EXPECT_EQ(status_field(s, "NoNewPrivs"), "0");
  auto nnp = status({"--security-opt", "no-new-privileges"});
  EXPECT_EQ(status_field(nnp, "NoNewPrivs"), "1");
  EXPECT_EQ(status_field(nnp, "Seccomp"), "2");
  EXPECT_EQ(status_field(status({"--security-opt", "seccomp=unconfined"}), "Seccomp"), "0");
}

TEST_F(Isolation, PrivilegedHasEveryCapabilityAndNoFilter) {
  auto s = status({"--privileged"});
  EXPECT_EQ(status_field(s, "Seccomp"), "0");
  // Every capability berth holds itself (this host lacks CAP_SYS_RESOURCE).
  auto self = run_command({"/bin/cat", "/proc/self/status"});
  EXPECT_EQ(status_field(s, "CapBnd"), status_field(self.out, "CapBnd"));
  auto masked = st_.berth({"run", "--rm", "--privileged", "busybox", "sh", "-c",
                           "grep -c ' /proc/kcore ' /proc/self/mountinfo"});
  EXPECT_EQ(masked.out, "0\n") << masked.err;
}

TEST_F(Isolation, BlockedSyscallsAnswerEpermUnknownOnesEnosys) {
  import_probe_image(st_);
  auto r = st_.berth({"run", "--rm", "probe", "berth-probe", "syscalls"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto m = probe_results(r.out);
  for (const char* name :
       {"keyctl", "add_key", "request_key", "unshare", "unshare_user", "setns", "clone_newns",
        "mount", "umount2", "pivot_root", "bpf", "perf_event_open", "kexec_load", "init_module",
        "reboot", "swapon", "clock_settime"})
    EXPECT_EQ(m[name], "EPERM") << name << "\n" << r.out;
  EXPECT_EQ(m["unknown"], "ENOSYS") << r.out;
  EXPECT_EQ(m["getpid"], "ok");
}

TEST_F(Isolation, CustomSeccompProfileInDockersFormat) {
  import_probe_image(st_);
  // Everything allowed except getpid, which answers EACCES (13).
  const auto profile = st_.dir() / "profile.json";
  std::ofstream(profile) << R"({"defaultAction":"SCMP_ACT_ALLOW",
    "architectures":["SCMP_ARCH_X86_64","SCMP_ARCH_X86","SCMP_ARCH_X32"],
    "syscalls":[{"names":["getpid"],"action":"SCMP_ACT_ERRNO","errnoRet":13}]})";
  auto r = st_.berth({"run", "--rm", "--security-opt", "seccomp=" + profile.string(), "probe",
                      "berth-probe", "syscalls"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(probe_results(r.out)["getpid"], "EACCES") << r.out;
  std::ofstream(profile) << R"({"defaultAction":"SCMP_ACT_BOGUS"})";
  auto bad =
      st_.berth({"create", "--security-opt", "seccomp=" + profile.string(), "busybox", "true"});
  EXPECT_EQ(bad.exit_code, 125);
  EXPECT_NE(bad.err.find("SCMP_ACT_BOGUS"), std::string::npos) << bad.err;
}

// The masked and read-only paths this kernel has (several are compile-time options).
std::vector<std::string> existing(const char* const* paths) {
  std::vector<std::string> out;
  for (; *paths; ++paths)
    if (std::filesystem::exists(*paths)) out.push_back(*paths);
  return out;
}

TEST_F(Isolation, MaskedPathsReadEmpty) {
  auto paths = existing(core::runtime::kMaskedPaths);
  ASSERT_FALSE(paths.empty());
  // Files read 0 bytes, directories list nothing.
  std::string script;
  for (const auto& p : paths)
    script += "if [ -d " + p + " ]; then ls -A " + p + " | wc -l; else wc -c < " + p + "; fi; ";
  auto r = st_.berth({"run", "--rm", "busybox", "sh", "-c", script});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string zeros;
  for (size_t i = 0; i < paths.size(); ++i) zeros += "0\n";
  EXPECT_EQ(r.out, zeros) << script;
}

TEST_F(Isolation, ProcSysAndSysrqTriggerAreReadOnly) {
  auto paths = existing(core::runtime::kReadonlyPaths);
  std::string pattern;
  for (const auto& p : paths) pattern += (pattern.empty() ? "" : "|") + p;
  auto r = st_.berth(
      {"run", "--rm", "busybox", "sh", "-c",
       "echo 1 > /proc/sys/kernel/domainname && echo wrote; "
       "if [ -e /proc/sysrq-trigger ]; then echo h > /proc/sysrq-trigger && echo wrote; fi; "
       "grep -E ' (" +
           pattern + ") ' /proc/self/mountinfo | grep -c ' ro,'"});
  EXPECT_EQ(r.out.find("wrote"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("Read-only file system"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, std::to_string(paths.size()) + "\n") << r.out;
}

TEST_F(Isolation, MountAndUnshareInsideFail) {
  auto m = st_.berth({"run", "--rm", "busybox", "mount", "-t", "tmpfs", "none", "/mnt"});
  EXPECT_NE(m.exit_code, 0);
  EXPECT_NE(m.err.find("ermission denied"), std::string::npos) << m.err;
  auto u = st_.berth({"run", "--rm", "busybox", "unshare", "-m", "true"});
  EXPECT_NE(u.exit_code, 0);
  EXPECT_NE(u.err.find("Operation not permitted"), std::string::npos) << u.err;
  auto n = st_.berth({"run", "--rm", "busybox", "nsenter", "-t", "1", "-n", "true"});
  EXPECT_NE(n.exit_code, 0) << n.out;
}

TEST_F(Isolation, ProcSymlinkInImageIsRefused) {
  import_variant(st_, "procl", [](const std::filesystem::path& dir) {
    std::filesystem::remove(dir / "proc");
    std::filesystem::create_directory_symlink("/tmp", dir / "proc");
  });
  auto r = st_.berth({"run", "--rm", "procl", "true"});
  EXPECT_EQ(r.exit_code, 125);
  EXPECT_NE(r.err.find("symlink `/proc`"), std::string::npos) << r.err;
}

TEST_F(Isolation, WorkdirThroughLeakedFdIsRefused) {
  // CVE-2024-21626: `-w /proc/self/fd/N` naming a host directory fd still open in the runtime.
  // Whatever fd N is in the init (not open, not a directory, or a directory outside the root),
  // the start is refused naming the working directory, and the command never runs.
  for (int fd = 3; fd <= 12; ++fd) {
    const std::string dir = "/proc/self/fd/" + std::to_string(fd);
    auto r = st_.berth({"run", "--rm", "-w", dir, "busybox", "sh", "-c", "echo ran; pwd; ls .."});
    EXPECT_EQ(r.exit_code, 125) << "fd " << fd << ": " << r.out << r.err;
    EXPECT_EQ(r.out, "") << "fd " << fd;
    const bool refused =
        r.err.find("chdir to working directory `" + dir + "`") != std::string::npos ||
        r.err.find("working directory outside the container `" + dir + "`") != std::string::npos ||
        r.err.find("mkdir `" + dir + "`") != std::string::npos;
    EXPECT_TRUE(refused) << "fd " << fd << ": " << r.err;
  }
}

TEST_F(Isolation, ReadOnlyRootfs) {
  auto r = st_.berth({"run", "--rm", "--read-only", "busybox", "sh", "-c",
                      "touch /x && echo wrote; echo ok > /dev/shm/x && cat /dev/shm/x"});
  EXPECT_EQ(r.out, "ok\n");
  EXPECT_NE(r.err.find("Read-only file system"), std::string::npos) << r.err;
}

TEST_F(Isolation, OnlyNamespacedSysctls) {
  auto ok = st_.berth({"run", "--rm", "--sysctl", "net.ipv4.ip_unprivileged_port_start=80",
                       "--sysctl", "kernel.shmmni=1000", "busybox", "sh", "-c",
                       "cat /proc/sys/net/ipv4/ip_unprivileged_port_start "
                       "/proc/sys/kernel/shmmni"});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(ok.out, "80\n1000\n");
  auto bad = st_.berth({"run", "--rm", "--sysctl", "kernel.panic=1", "busybox", "true"});
  EXPECT_EQ(bad.exit_code, 125);
  EXPECT_NE(bad.err.find("\"kernel.panic\" is not allowed"), std::string::npos) << bad.err;
}

TEST_F(Isolation, DeviceCgroupAllowsOnlyTheDefaultDevices) {
  // mknod is allowed (CAP_MKNOD, "c *:* m"), opening a disk is not.
  auto r = st_.berth({"run", "--rm", "busybox", "sh", "-c",
                      "mknod /tmp/sda b 8 0 && head -c1 /tmp/sda; echo rc=$?; "
                      "head -c1 /dev/zero | wc -c"});
  EXPECT_NE(r.out.find("rc=1"), std::string::npos) << r.out << r.err;
  EXPECT_NE(r.err.find("Operation not permitted"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("\n1\n"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace berth::test
