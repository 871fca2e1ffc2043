#include "sys/bpf.h"

#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace berth::sys {
namespace {

int bpf(int cmd, union bpf_attr* attr) {
  long rc = ::syscall(SYS_bpf, cmd, attr, sizeof(*attr));
  return rc < 0 ? -errno : static_cast<int>(rc);
}

}  // namespace

int bpf_prog_load(uint32_t prog_type, const struct bpf_insn* insns, uint32_t count,
                  const char* license, char* log, uint32_t log_size) {
  union bpf_attr attr;
  std::memset(&attr, 0, sizeof attr);
  attr.prog_type = prog_type;
  attr.insns = reinterpret_cast<uint64_t>(insns);
  attr.insn_cnt = count;
  attr.license = reinterpret_cast<uint64_t>(license);
  if (log && log_size > 0) {
    log[0] = '\0';
    attr.log_buf = reinterpret_cast<uint64_t>(log);
    attr.log_size = log_size;
    attr.log_level = 1;
  }
  return bpf(BPF_PROG_LOAD, &attr);
}

int bpf_prog_attach(int cgroup_fd, int prog_fd, uint32_t attach_type, uint32_t flags) {
  union bpf_attr attr;
  std::memset(&attr, 0, sizeof attr);
  attr.target_fd = static_cast<uint32_t>(cgroup_fd);
  attr.attach_bpf_fd = static_cast<uint32_t>(prog_fd);
  attr.attach_type = attach_type;
  attr.attach_flags = flags;
  return bpf(BPF_PROG_ATTACH, &attr);
}

int bpf_prog_query(int cgroup_fd, uint32_t attach_type, uint32_t* ids, uint32_t* count) {
  union bpf_attr attr;
  std::memset(&attr, 0, sizeof attr);
  attr.query.target_fd = static_cast<uint32_t>(cgroup_fd);
  attr.query.attach_type = attach_type;
  attr.query.prog_ids = reinterpret_cast<uint64_t>(ids);
  attr.query.prog_cnt = *count;
  int rc = bpf(BPF_PROG_QUERY, &attr);
  if (rc == 0) *count = attr.query.prog_cnt;
  return rc;
}

}  // namespace berth::sys
