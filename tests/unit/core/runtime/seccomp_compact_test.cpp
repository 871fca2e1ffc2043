// A compacted seccomp program gives the verdict of libseccomp's for every input tried: each
// architecture the programs test (and unknown ones), every syscall number below 1100 and in
// the x32 range, and argument values built from every constant the program compares with.
#include "core/runtime/seccomp_compact.h"

#include <gtest/gtest.h>
#include <linux/audit.h>
#include <linux/seccomp.h>

#include <cstring>
#include <random>
#include <set>
#include <stdexcept>

#include "core/runtime/capabilities.h"
#include "core/runtime/seccomp_profile.h"

namespace berth::core::runtime {
namespace {

// Classic BPF as the kernel runs a seccomp filter, for the instructions libseccomp emits;
// anything else throws (so a test meeting one fails instead of passing on a wrong model).
uint32_t run(const std::vector<sock_filter>& prog, const seccomp_data& d) {
  uint32_t a = 0;
  size_t pc = 0;
  for (size_t steps = 0; steps <= prog.size(); ++steps) {
    if (pc >= prog.size()) throw std::runtime_error("ran off the end");
    const sock_filter& f = prog[pc];
    switch (f.code) {
      case BPF_LD | BPF_W | BPF_ABS:
        if (f.k + 4 > sizeof d) throw std::runtime_error("load out of seccomp_data");
        std::memcpy(&a, reinterpret_cast<const char*>(&d) + f.k, 4);
        ++pc;
        break;
      case BPF_ALU | BPF_AND | BPF_K:
        a &= f.k;
        ++pc;
        break;
      case BPF_RET | BPF_K:
        return f.k;
      case BPF_JMP | BPF_JA:
        pc += 1 + f.k;
        break;
      case BPF_JMP | BPF_JEQ | BPF_K:
        pc += 1 + (a == f.k ? f.jt : f.jf);
        break;
      case BPF_JMP | BPF_JGT | BPF_K:
        pc += 1 + (a > f.k ? f.jt : f.jf);
        break;
      case BPF_JMP | BPF_JGE | BPF_K:
        pc += 1 + (a >= f.k ? f.jt : f.jf);
        break;
      case BPF_JMP | BPF_JSET | BPF_K:
        pc += 1 + ((a & f.k) != 0 ? f.jt : f.jf);
        break;
      default:
        throw std::runtime_error("instruction " + std::to_string(f.code) + " not modelled");
    }
  }
  throw std::runtime_error("no verdict");
}

// Every verdict of `a` and `b` over the inputs described above; returns the count compared.
size_t expect_same_verdicts(const std::vector<sock_filter>& a, const std::vector<sock_filter>& b) {
  std::set<uint32_t> constants = {0, 1, 0xffffffff};
  for (const auto& f : a) constants.insert(f.k);
  std::vector<uint64_t> values;
  for (uint32_t c : constants)
    for (uint32_t v : {c, c - 1, c + 1, ~c}) values.push_back(v);
  std::mt19937_64 rng(7);
  std::vector<uint32_t> nrs;
  for (uint32_t nr = 0; nr < 1100; ++nr) nrs.push_back(nr);
  for (uint32_t nr = 0x40000000; nr < 0x40000000 + 1100; ++nr) nrs.push_back(nr);
  for (uint32_t nr : {0x7fffffffu, 0x80000000u, 0xffffffffu}) nrs.push_back(nr);
  size_t n = 0;
  for (uint32_t arch : {uint32_t{AUDIT_ARCH_X86_64}, uint32_t{AUDIT_ARCH_I386},
                        uint32_t{AUDIT_ARCH_AARCH64}, uint32_t{0}}) {
    for (uint32_t nr : nrs) {
      for (int round = 0; round < 6; ++round) {
        seccomp_data d{};
        d.nr = static_cast<int>(nr);
        d.arch = arch;
        for (auto& arg : d.args) {
          uint64_t lo = values[rng() % values.size()], hi = values[rng() % values.size()];
          arg = round == 0 ? 0 : (round == 1 ? lo : (hi << 32) | lo);
        }
        const uint32_t va = run(a, d), vb = run(b, d);
        if (va != vb) {
          ADD_FAILURE() << "arch " << arch << " nr " << nr << ": " << va << " vs " << vb;
          return n;
        }
        ++n;
      }
    }
  }
  return n;
}

sock_filter jeq(uint32_t k, uint8_t jt, uint8_t jf) {
  return BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, k, jt, jf);
}
sock_filter ret(uint32_t k) {
  return BPF_STMT(BPF_RET | BPF_K, k);
}
sock_filter ld_nr() {
  return BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr));
}

TEST(SeccompCompact, TheDefaultProfileGetsShorterWithTheSameVerdicts) {
  for (CapMask caps : {default_capabilities(), all_capabilities(), CapMask{0}}) {
    const auto raw = compile_seccomp_profile(default_seccomp_profile(), caps, "x", false);
    const auto compact = compact_seccomp_program(raw);
    EXPECT_LT(compact.size() * 2, raw.size()) << raw.size() << " -> " << compact.size();
    EXPECT_GT(expect_same_verdicts(raw, compact), 50000u);
    // And what compile_seccomp_profile hands out is the compacted one.
    const auto handed = compile_seccomp_profile(default_seccomp_profile(), caps, "x");
    EXPECT_EQ(handed.size(), compact.size());
  }
}

TEST(SeccompCompact, ArgumentRulesKeepTheirVerdicts) {
  const char* profile = R"({
    "defaultAction": "SCMP_ACT_ALLOW",
    "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"],
    "syscalls": [
      {"names": ["getpid", "getppid", "gettid", "read", "write", "open", "close"],
       "action": "SCMP_ACT_ERRNO", "errnoRet": 13},
      {"name": "personality", "action": "SCMP_ACT_ERRNO",
       "args": [{"index": 0, "value": 8, "valueTwo": 0, "op": "SCMP_CMP_EQ"}]},
      {"name": "clone", "action": "SCMP_ACT_ERRNO",
       "args": [{"index": 0, "value": 2114060288, "valueTwo": 0, "op": "SCMP_CMP_MASKED_EQ"}]},
      {"name": "socket", "action": "SCMP_ACT_KILL",
       "args": [{"index": 0, "value": 40, "valueTwo": 0, "op": "SCMP_CMP_GE"}]},
      {"names": ["mount", "umount2", "pivot_root"], "action": "SCMP_ACT_ERRNO"}
    ]})";
  const auto raw = compile_seccomp_profile(profile, default_capabilities(), "p", false);
  expect_same_verdicts(raw, compact_seccomp_program(raw));
}

// Hand-made: interleaved targets, the `JEQ k; RET` form, a value repeated with another
// target (the first wins), and a jump into the middle of a chain (the chain is split there).
TEST(SeccompCompact, RunsAreRewrittenOnlyWhereNothingElseEntersThem) {
  const uint32_t allow = SECCOMP_RET_ALLOW, deny = SECCOMP_RET_ERRNO | 1, kill = SECCOMP_RET_KILL;
  std::vector<sock_filter> p = {
      ld_nr(),         // 0
      jeq(100, 2, 0),  // 1: 100 -> 4 (enters the chain at 4)
      jeq(1, 13, 0),   // 2: -> 16 allow
      jeq(2, 13, 0),   // 3: -> 17 deny
      jeq(3, 11, 0),   // 4: -> 16 (entered from 1: a new run starts here)
      jeq(4, 11, 0),   // 5: -> 17
      jeq(5, 0, 1),    // 6: -> 7
      ret(kill),       // 7
      jeq(6, 8, 0),    // 8: -> 17
      jeq(7, 7, 0),    // 9: -> 17
      jeq(8, 6, 0),    // 10: -> 17
      jeq(3, 5, 0),    // 11: 3 again -> 17: the first target (16) wins
      jeq(9, 3, 0),    // 12: -> 16
      jeq(10, 2, 0),   // 13: -> 16
      jeq(11, 1, 0),   // 14: -> 16
      ret(deny),       // 15: the default
      ret(allow),      // 16
      ret(deny),       // 17
  };
  const auto c = compact_seccomp_program(p);
  EXPECT_LT(c.size(), p.size());
  EXPECT_GT(expect_same_verdicts(p, c), 1000u);
  seccomp_data d{};
  d.nr = 3;
  EXPECT_EQ(run(c, d), allow);
  d.nr = 5;
  EXPECT_EQ(run(c, d), kill);
}

TEST(SeccompCompact, ValuesAtTheEdgesOfTheRange) {
  // Six values, all allowed: two intervals, one at each end of the 32 bits.
  std::vector<sock_filter> p = {ld_nr()};
  const uint32_t values[] = {0xfffffffd, 0xfffffffe, 0xffffffff, 0, 1, 2};
  for (size_t i = 0; i < 6; ++i) p.push_back(jeq(values[i], static_cast<uint8_t>(6 - i), 0));
  p.push_back(ret(SECCOMP_RET_ERRNO | 38));
  p.push_back(ret(SECCOMP_RET_ALLOW));
  const auto c = compact_seccomp_program(p);
  EXPECT_LT(c.size(), p.size());
  for (uint32_t nr : {0u, 1u, 2u, 3u, 0xfffffffcu, 0xfffffffdu, 0xfffffffeu, 0xffffffffu}) {
    seccomp_data d{};
    d.nr = static_cast<int>(nr);
    EXPECT_EQ(run(c, d), run(p, d)) << nr;
  }
}

TEST(SeccompCompact, AProgramWithoutChainsIsUnchanged) {
  std::vector<sock_filter> p = {ld_nr(), jeq(1, 0, 1), ret(SECCOMP_RET_ALLOW),
                                ret(SECCOMP_RET_KILL)};
  const auto c = compact_seccomp_program(p);
  ASSERT_EQ(c.size(), p.size());
  for (size_t i = 0; i < p.size(); ++i) EXPECT_EQ(std::memcmp(&c[i], &p[i], sizeof p[i]), 0);
}

}  // namespace
}  // namespace berth::core::runtime
