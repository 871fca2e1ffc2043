// Resource limits (`--memory`, `--memory-swap`, `--cpus`, `--cpu-shares`, `--cpuset-cpus`,
// `--pids-limit`, the default pids limit of 2048 as Podman, the v1 device allow-list) written
// into the container's cgroups by the monitor before the init runs, for cgroup v1 (one tree
// per controller) and v2 (one unified dir; joined at clone time with CLONE_INTO_CGROUP), as
// detected by Cgroups. Also the after-the-fact question "was it OOM-killed?".
// The device allow-list (device_rules.h) is devices.allow on v1 and a BPF_PROG_TYPE_CGROUP_DEVICE
// program attached to the container's cgroup on v2 (device_bpf.h).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/runtime/cgroups.h"
#include "core/runtime/ulimits.h"
#include "request/resources.h"

namespace berth::core::runtime {

using request::kDefaultPidsLimit;
// What was asked (request/resources.h) is what the runtime applies.
using ResourceSpec = request::Resources;

nlohmann::json to_json(const ResourceSpec& r);
ResourceSpec resources_from_json(const nlohmann::json& j);

// Docker's cross-field checks (memory >= 6 MB, swap >= memory, --cpus within the host's CPUs).
// Throws Error (125).
void validate_resources(const ResourceSpec& r);

// Writes every limit into the container's cgroups (created already); `privileged` opens the
// device list. Throws Error naming the file; a controller that is missing for a limit that was
// asked for is an error, for a default (pids 2048, v1 devices) it is skipped. On v2 the device
// program is always attached (a failure is an error: the container would see every device).
void apply_resources(const Cgroups& cgroups, const std::string& id, const ResourceSpec& r,
                     bool privileged);

// True when the kernel OOM-killed a process of the container (v1 memory.oom_control, v2
// memory.events: oom_kill > 0). Never throws.
bool oom_killed(const Cgroups& cgroups, const std::string& id);

}  // namespace berth::core::runtime
