// The cgroup v2 device program generator (device_filter.h): the program is run by a small
// interpreter of the instructions it uses, on (type, access, major, minor) requests, and must
// give the verdict the allow-list gives. The v1 text form of the same rules is checked too.
#include "core/runtime/device_filter.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <stdexcept>

namespace berth::core::runtime {
namespace {

using R = DeviceRule;
constexpr uint32_t kChar = BPF_DEVCG_DEV_CHAR, kBlock = BPF_DEVCG_DEV_BLOCK;
constexpr uint32_t kRead = BPF_DEVCG_ACC_READ, kWrite = BPF_DEVCG_ACC_WRITE,
                   kMknod = BPF_DEVCG_ACC_MKNOD;

// Runs prog on one request (struct bpf_cgroup_dev_ctx); returns r0 at exit.
uint64_t run(const std::vector<bpf_insn>& prog, uint32_t type, uint32_t access, uint32_t major,
             uint32_t minor) {
  const std::array<uint32_t, 3> ctx = {(access << 16) | type, major, minor};
  std::array<uint64_t, 11> r{};
  for (size_t pc = 0, steps = 0; pc < prog.size() && steps < 10000; ++pc, ++steps) {
    const bpf_insn& i = prog[pc];
    const uint64_t src = BPF_SRC(i.code) == BPF_X ? r[i.src_reg] : static_cast<uint32_t>(i.imm);
    switch (i.code) {
      case BPF_LDX | BPF_MEM | BPF_W:
        EXPECT_EQ(i.src_reg, 1);
        r[i.dst_reg] = ctx.at(static_cast<size_t>(i.off) / 4);
        break;
      case BPF_ALU | BPF_AND | BPF_K:
        r[i.dst_reg] = static_cast<uint32_t>(r[i.dst_reg] & src);
        break;
      case BPF_ALU | BPF_RSH | BPF_K:
        r[i.dst_reg] = static_cast<uint32_t>(r[i.dst_reg]) >> src;
        break;
      case BPF_ALU | BPF_MOV | BPF_X:
        r[i.dst_reg] = static_cast<uint32_t>(src);
        break;
      case BPF_ALU64 | BPF_MOV | BPF_K:
        r[i.dst_reg] = static_cast<uint64_t>(static_cast<int64_t>(i.imm));
        break;
      case BPF_JMP | BPF_JNE | BPF_K:
      case BPF_JMP | BPF_JNE | BPF_X:
        if (r[i.dst_reg] != src) pc += static_cast<size_t>(i.off);
        break;
      case BPF_JMP | BPF_EXIT:
        return r[0];
      default:
        throw std::runtime_error("unexpected opcode " + std::to_string(i.code));
    }
  }
  throw std::runtime_error("the program ran off its end");
}

TEST(DeviceFilter, EmptyListDeniesEverything) {
  auto prog = device_filter_program({});
  EXPECT_EQ(run(prog, kChar, kRead, 1, 3), 0u);
  EXPECT_EQ(run(prog, kBlock, kMknod, 8, 0), 0u);
}

TEST(DeviceFilter, DockersDefaultList) {
  auto prog = device_filter_program(default_device_rules());
  EXPECT_EQ(run(prog, kChar, kRead | kWrite, 1, 3), 1u);     // /dev/null
  EXPECT_EQ(run(prog, kChar, kRead, 1, 9), 1u);              // /dev/urandom
  EXPECT_EQ(run(prog, kChar, kRead | kWrite, 136, 7), 1u);   // /dev/pts/7
  EXPECT_EQ(run(prog, kChar, kRead | kWrite, 10, 200), 1u);  // /dev/net/tun
  EXPECT_EQ(run(prog, kChar, kMknod, 4, 1), 1u);             // mknod of anything
  EXPECT_EQ(run(prog, kBlock, kMknod, 8, 0), 1u);
  EXPECT_EQ(run(prog, kBlock, kRead, 8, 0), 0u);          // /dev/sda
  EXPECT_EQ(run(prog, kBlock, kWrite, 1, 3), 0u);         // a block device with null's numbers
  EXPECT_EQ(run(prog, kChar, kRead, 1, 11), 0u);          // /dev/kmsg
  EXPECT_EQ(run(prog, kChar, kRead | kWrite, 1, 1), 0u);  // /dev/mem
  EXPECT_EQ(run(prog, kChar, kRead | kMknod, 4, 1), 0u);  // mknod yes, read no: not one rule
}

TEST(DeviceFilter, WildcardsAndPartialAccess) {
  auto prog = device_filter_program({{'a', 7, R::kAny, R::kRead}, {'b', R::kAny, 3, R::kWrite}});
  EXPECT_EQ(run(prog, kChar, kRead, 7, 0), 1u);
  EXPECT_EQ(run(prog, kBlock, kRead, 7, 99), 1u);
  EXPECT_EQ(run(prog, kChar, kRead | kWrite, 7, 0), 0u);
  EXPECT_EQ(run(prog, kBlock, kWrite, 250, 3), 1u);
  EXPECT_EQ(run(prog, kChar, kWrite, 250, 3), 0u);
  EXPECT_EQ(run(prog, kBlock, kWrite, 250, 4), 0u);
}

TEST(DeviceFilter, AllowAllRuleAllowsEverything) {
  auto prog = device_filter_program({R{}});
  EXPECT_EQ(run(prog, kBlock, kRead | kWrite | kMknod, 8, 0), 1u);
  EXPECT_EQ(run(prog, kChar, kRead, 1, 1), 1u);
}

TEST(DeviceFilter, ProgramShape) {
  auto prog = device_filter_program({{'c', 1, 3, R::kRead | R::kWrite | R::kMknod}});
  // Prologue of six loads/ALU ops, one block (type, major, minor, r0 = 1, exit), deny epilogue.
  ASSERT_EQ(prog.size(), 6u + 5u + 2u);
  EXPECT_EQ(prog[6].off, 4);  // a type mismatch skips the rest of the block
  EXPECT_EQ(prog.back().code, BPF_JMP | BPF_EXIT);
  EXPECT_EQ(prog[prog.size() - 2].imm, 0);
}

TEST(DeviceRules, V1TextIsDockers) {
  std::vector<std::string> text;
  for (const auto& r : default_device_rules()) text.push_back(v1_rule_text(r));
  const std::vector<std::string> docker = {
      "c *:* m",     "b *:* m",      "c 1:3 rwm",   "c 1:5 rwm", "c 1:7 rwm",
      "c 1:8 rwm",   "c 1:9 rwm",    "c 5:0 rwm",   "c 5:1 rwm", "c 5:2 rwm",
      "c 136:* rwm", "c 10:200 rwm", "c 10:229 rwm"};
  EXPECT_EQ(text, docker);
}

}  // namespace
}  // namespace berth::core::runtime
