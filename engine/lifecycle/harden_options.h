// The isolation and resource flags of create/run: parsed and validated at create time
// into the container's config.json (extensions "security" and "resources",
// core::runtime::SecuritySpec and core::runtime::ResourceSpec), read back at start (and by exec)
// and shown by inspect as Docker's HostConfig fields.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/paths.h"
#include "core/runtime/resources.h"
#include "core/runtime/security.h"
#include "core/state/container.h"

namespace berth::engine::lifecycle {

// As typed on the command line.
struct HardenFlags {
  std::vector<std::string> cap_add, cap_drop;
  bool privileged = false;
  std::vector<std::string> security_opt;  // no-new-privileges[=true|false], seccomp=unconfined|F
  bool read_only = false;
  std::vector<std::string> sysctl;  // K=V
  std::string memory, memory_swap, cpus, cpuset_cpus;
  int64_t cpu_shares = 0;
  std::optional<int64_t> pids_limit;
  std::vector<std::string> ulimit;  // NAME=SOFT[:HARD]
};

// Validates the flags and stores the result in cfg.extensions. Throws Error (125) with the
// flag and value at fault.
void apply_harden_flags(const HardenFlags& flags, core::state::ContainerConfig& cfg);

// Throws Error (125) when cfg, whose networking is decided (network::assign_networking), asks
// for net.* sysctls in the host's network namespace: --network host, or --network container:X
// where X (or the container X joins, ...) uses the host's.
void refuse_host_netns_sysctls(const Paths& paths, const core::state::ContainerConfig& cfg);

// What apply_harden_flags stored (defaults for a record that has no "security" or "resources"
// extension).
core::runtime::SecuritySpec security_of(const core::state::ContainerConfig& cfg);
core::runtime::ResourceSpec resources_of(const core::state::ContainerConfig& cfg);

// `hc` with Docker's HostConfig keys (Privileged, CapAdd, Memory, PidsLimit, ...) set from cfg.
nlohmann::ordered_json with_harden_host_config(const core::state::ContainerConfig& cfg,
                                               nlohmann::ordered_json hc);

}  // namespace berth::engine::lifecycle
