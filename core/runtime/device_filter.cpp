#include "core/runtime/device_filter.h"

namespace berth::core::runtime {

namespace {

// Registers: r1 the context (then scratch), r2 device type, r3 requested access, r4 major,
// r5 minor, r0 the verdict.
constexpr uint8_t kCtx = 1, kType = 2, kAccess = 3, kMajor = 4, kMinor = 5;

bpf_insn insn(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm) {
  bpf_insn i{};
  i.code = code;
  i.dst_reg = dst & 0xf;
  i.src_reg = src & 0xf;
  i.off = off;
  i.imm = imm;
  return i;
}

bpf_insn load_u32(uint8_t dst, int16_t offset) {
  return insn(BPF_LDX | BPF_MEM | BPF_W, dst, kCtx, offset, 0);
}
bpf_insn alu32_imm(uint8_t op, uint8_t dst, int32_t imm) {
  return insn(BPF_ALU | op | BPF_K, dst, 0, 0, imm);
}
bpf_insn mov32_reg(uint8_t dst, uint8_t src) {
  return insn(BPF_ALU | BPF_MOV | BPF_X, dst, src, 0, 0);
}
bpf_insn jne_imm(uint8_t dst, int32_t imm) {  // offset patched when the block is complete
  return insn(BPF_JMP | BPF_JNE | BPF_K, dst, 0, 0, imm);
}
bpf_insn jne_reg(uint8_t dst, uint8_t src) {
  return insn(BPF_JMP | BPF_JNE | BPF_X, dst, src, 0, 0);
}
bpf_insn mov64_imm(uint8_t dst, int32_t imm) {
  return insn(BPF_ALU64 | BPF_MOV | BPF_K, dst, 0, 0, imm);
}
bpf_insn exit_insn() {
  return insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}

// One rule: each test jumps past the block on a mismatch; a full match returns 1.
std::vector<bpf_insn> rule_block(const DeviceRule& r) {
  std::vector<bpf_insn> b;
  if (r.type == 'c' || r.type == 'b')
    b.push_back(jne_imm(kType, r.type == 'c' ? BPF_DEVCG_DEV_CHAR : BPF_DEVCG_DEV_BLOCK));
  constexpr uint8_t kAll = DeviceRule::kMknod | DeviceRule::kRead | DeviceRule::kWrite;
  if ((r.access & kAll) != kAll) {
    // (access & allowed) != access: some requested bit is not allowed.
    b.push_back(mov32_reg(kCtx, kAccess));
    b.push_back(alu32_imm(BPF_AND, kCtx, r.access & kAll));
    b.push_back(jne_reg(kCtx, kAccess));
  }
  if (r.major != DeviceRule::kAny) b.push_back(jne_imm(kMajor, static_cast<int32_t>(r.major)));
  if (r.minor != DeviceRule::kAny) b.push_back(jne_imm(kMinor, static_cast<int32_t>(r.minor)));
  b.push_back(mov64_imm(0, 1));
  b.push_back(exit_insn());
  for (size_t i = 0; i < b.size(); ++i)
    if (BPF_CLASS(b[i].code) == BPF_JMP && BPF_OP(b[i].code) == BPF_JNE)
      b[i].off = static_cast<int16_t>(b.size() - i - 1);
  return b;
}

}  // namespace

std::vector<bpf_insn> device_filter_program(const std::vector<DeviceRule>& allow) {
  // struct bpf_cgroup_dev_ctx { u32 access_type; u32 major; u32 minor; }, where access_type is
  // (BPF_DEVCG_ACC_* << 16) | BPF_DEVCG_DEV_*.
  std::vector<bpf_insn> prog = {
      load_u32(kType, 0),   alu32_imm(BPF_AND, kType, 0xffff),
      load_u32(kAccess, 0), alu32_imm(BPF_RSH, kAccess, 16),
      load_u32(kMajor, 4),  load_u32(kMinor, 8),
  };
  for (const auto& rule : allow) {
    auto block = rule_block(rule);
    prog.insert(prog.end(), block.begin(), block.end());
  }
  prog.push_back(mov64_imm(0, 0));
  prog.push_back(exit_insn());
  return prog;
}

}  // namespace berth::core::runtime
