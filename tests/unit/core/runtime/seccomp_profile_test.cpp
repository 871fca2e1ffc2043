// Profiles in Docker's format compile to a BPF program; errors name the profile and the fault.
#include "core/runtime/seccomp_profile.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>

#include "common/error.h"

namespace berth::core::runtime {
namespace {

TEST(SeccompProfile, DefaultProfileIsValidJsonAndCompiles) {
  auto j = nlohmann::json::parse(default_seccomp_profile());
  EXPECT_EQ(j["defaultAction"], "SCMP_ACT_ERRNO");
  EXPECT_EQ(j["defaultErrnoRet"], 38);
  auto prog = compile_seccomp_profile(default_seccomp_profile(), default_capabilities(), "x");
  EXPECT_GT(prog.size(), 100u);
  // With CAP_SYS_ADMIN more is allowed: a different program.
  auto admin = compile_seccomp_profile(default_seccomp_profile(), all_capabilities(), "x");
  EXPECT_NE(prog.size(), admin.size());
}

// The time it takes is recorded, not asserted: speed is measured by bench/, never by a timed
// test (this one failed once on a machine busy with two builds).
TEST(SeccompProfile, CompilingTheDefaultGivesAProgram) {
  auto t = std::chrono::steady_clock::now();
  const auto prog = compile_seccomp_profile(default_seccomp_profile(), default_capabilities(), "x");
  auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t);
  RecordProperty("compile_ms", std::to_string(ms.count()));
  EXPECT_GT(prog.size(), 100u);
}

// x32 rules only where the kernel runs x32 syscalls; elsewhere the program is the one of a
// profile without x32 (the x32 numbers meet the bad-arch action).
TEST(SeccompProfile, X32RulesOnlyWhereTheKernelRunsX32) {
  auto profile = [](const char* arches) {
    return std::string(
               R"({"defaultAction":"SCMP_ACT_ERRNO","defaultErrnoRet":38,"architectures":[)") +
           arches + R"(],"syscalls":[{"names":["getpid","read"],"action":"SCMP_ACT_ALLOW"}]})";
  };
  auto with = compile_seccomp_profile(profile(R"("SCMP_ARCH_X86_64","SCMP_ARCH_X32")"),
                                      default_capabilities(), "x");
  auto without =
      compile_seccomp_profile(profile(R"("SCMP_ARCH_X86_64")"), default_capabilities(), "x");
  auto same = [](const std::vector<sock_filter>& a, const std::vector<sock_filter>& b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                              [](const sock_filter& x, const sock_filter& y) {
                                                return x.code == y.code && x.jt == y.jt &&
                                                       x.jf == y.jf && x.k == y.k;
                                              });
  };
  EXPECT_EQ(same(with, without), !kernel_runs_x32()) << with.size() << " vs " << without.size();
}

TEST(SeccompProfile, DockerFormatFeatures) {
  const char* profile = R"({
    "defaultAction": "SCMP_ACT_ALLOW",
    "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"],
    "syscalls": [
      {"names": ["getpid", "no_such_syscall"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13},
      {"name": "personality", "action": "SCMP_ACT_ERRNO",
       "args": [{"index": 0, "value": 8, "valueTwo": 0, "op": "SCMP_CMP_EQ"}]},
      {"names": ["mount"], "action": "SCMP_ACT_ERRNO", "excludes": {"caps": ["CAP_SYS_ADMIN"]}},
      {"names": ["umount2"], "action": "SCMP_ACT_ALLOW"}
    ]})";
  EXPECT_FALSE(compile_seccomp_profile(profile, default_capabilities(), "p.json").empty());
}

TEST(SeccompProfile, ErrorsNameTheProfile) {
  try {
    compile_seccomp_profile(R"({"defaultAction":"SCMP_ACT_NOPE"})", 0, "p.json");
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "seccomp profile p.json: unsupported action \"SCMP_ACT_NOPE\"");
    EXPECT_EQ(e.exit_code(), 125);
  }
  EXPECT_THROW(compile_seccomp_profile("{not json", 0, "p.json"), Error);
  EXPECT_THROW(compile_seccomp_profile(
                   R"({"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["read"],
                   "action":"SCMP_ACT_ERRNO","args":[{"index":0,"value":1,"op":"SCMP_CMP_XX"}]}]})",
                   0, "p.json"),
               Error);
}

}  // namespace
}  // namespace berth::core::runtime
