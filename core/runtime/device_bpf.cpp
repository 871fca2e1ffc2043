#include "core/runtime/device_bpf.h"

#include <fcntl.h>

#include <string>

#include "common/error.h"
#include "core/runtime/device_filter.h"
#include "sys/bpf.h"
#include "sys/unique_fd.h"

namespace berth::core::runtime {

namespace {

sys::UniqueFd open_cgroup(const std::filesystem::path& dir) {
  sys::UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd) throw_errno("device allow-list: open cgroup", dir.string(), errno);
  return fd;
}

}  // namespace

void attach_device_filter(const std::filesystem::path& cgroup_dir,
                          const std::vector<DeviceRule>& allow) {
  const std::vector<bpf_insn> prog = device_filter_program(allow);
  sys::UniqueFd cgroup = open_cgroup(cgroup_dir);
  // The license only matters for GPL-only helpers, which the program does not call.
  int fd = sys::bpf_prog_load(BPF_PROG_TYPE_CGROUP_DEVICE, prog.data(),
                              static_cast<uint32_t>(prog.size()), "Apache-2.0", nullptr, 0);
  if (fd < 0) {
    // Load again with the verifier's log: it names the instruction it refused.
    std::string log(16384, '\0');
    sys::bpf_prog_load(BPF_PROG_TYPE_CGROUP_DEVICE, prog.data(), static_cast<uint32_t>(prog.size()),
                       "Apache-2.0", log.data(), static_cast<uint32_t>(log.size()));
    log.resize(log.find('\0'));
    while (!log.empty() && log.back() == '\n') log.pop_back();
    throw Error(errno_message("device allow-list: load BPF_PROG_TYPE_CGROUP_DEVICE program for",
                              cgroup_dir.string(), -fd) +
                (log.empty() ? "" : " (verifier: " + log + ")"));
  }
  sys::UniqueFd program(fd);
  int rc = sys::bpf_prog_attach(cgroup.get(), program.get(), BPF_CGROUP_DEVICE, BPF_F_ALLOW_MULTI);
  if (rc < 0) throw_errno("device allow-list: attach BPF program to", cgroup_dir.string(), -rc);
}

unsigned attached_device_filters(const std::filesystem::path& cgroup_dir) {
  sys::UniqueFd cgroup = open_cgroup(cgroup_dir);
  uint32_t ids[64];
  uint32_t count = 64;
  int rc = sys::bpf_prog_query(cgroup.get(), BPF_CGROUP_DEVICE, ids, &count);
  if (rc < 0) throw_errno("query BPF programs of", cgroup_dir.string(), -rc);
  return count;
}

}  // namespace berth::core::runtime
