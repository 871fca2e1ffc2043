// Applies a device allow-list on cgroup v2: loads device_filter_program() into the kernel
// (bpf(BPF_PROG_LOAD), BPF_PROG_TYPE_CGROUP_DEVICE) and attaches it to the container's cgroup
// (BPF_PROG_ATTACH, BPF_CGROUP_DEVICE, BPF_F_ALLOW_MULTI so a host manager's own program on a
// parent, e.g. systemd's, still applies too). The attachment holds the program for as long as
// the cgroup exists: no fd is kept. Called by apply_resources on v2 hosts.
#pragma once

#include <filesystem>
#include <vector>

#include "core/runtime/device_rules.h"

namespace berth::core::runtime {

// Throws Error naming the cgroup (with the verifier's log when the load fails).
void attach_device_filter(const std::filesystem::path& cgroup_dir,
                          const std::vector<DeviceRule>& allow);

// How many BPF_CGROUP_DEVICE programs are attached to the cgroup itself. Throws Error.
unsigned attached_device_filters(const std::filesystem::path& cgroup_dir);

}  // namespace berth::core::runtime
