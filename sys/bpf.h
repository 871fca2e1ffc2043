// Thin wrappers over bpf(2) for cgroup programs (man 2 bpf; linux/bpf.h): load a program,
// attach it to a cgroup directory fd, list what is attached. Like syscalls.h they
// never throw and never allocate: each returns the result, or -errno on failure.
#pragma once

#include <linux/bpf.h>

#include <cstdint>

namespace berth::sys {

// BPF_PROG_LOAD: returns the program's fd (O_CLOEXEC, as every bpf fd). log/log_size may be
// null/0; with a buffer the verifier's messages land there (log level 1).
int bpf_prog_load(uint32_t prog_type, const struct bpf_insn* insns, uint32_t count,
                  const char* license, char* log, uint32_t log_size);
// BPF_PROG_ATTACH of prog_fd to the cgroup open at cgroup_fd.
int bpf_prog_attach(int cgroup_fd, int prog_fd, uint32_t attach_type, uint32_t flags);
// BPF_PROG_QUERY: the ids of the programs attached to the cgroup itself (not inherited);
// *count is the capacity of ids in, the number attached out. Returns 0 or -errno.
int bpf_prog_query(int cgroup_fd, uint32_t attach_type, uint32_t* ids, uint32_t* count);

}  // namespace berth::sys
