// Shorter seccomp programs with the same verdicts (docs/DESIGN-NOTES.md §11).
#pragma once

#include <linux/filter.h>

#include <vector>

namespace berth::core::runtime {

// libseccomp tests the syscall number against one value per instruction (`JEQ k`), in
// number order, the actions of neighbouring numbers interleaved; Docker's default profile
// makes 826 instructions on x86-64. The kernel checks, converts and JIT-compiles a program
// at every container start and every exec, in time proportional to its length (here
// ~0.7 ms for 826 instructions, ~0.3 ms for 304).
//
// Returns `prog` with each run of such tests rewritten as range tests over the contiguous
// intervals of the values that share a target (`JGE lo; JGT hi`, a lone value keeps its
// `JEQ`). A run is a sequence of `JEQ k` that fall through on a mismatch, or skip only the
// `RET` that is their match (libseccomp puts such RETs in a chain to keep jumps short), and
// that no other jump enters after its first test. These tests only read A, so their order
// does not matter as long as a value repeated in a run keeps its first target. Every other
// instruction is kept as it is, and every jump is relinked. `prog` comes back unchanged if a
// relinked jump would not fit in its 8-bit offset.
std::vector<sock_filter> compact_seccomp_program(const std::vector<sock_filter>& prog);

}  // namespace berth::core::runtime
