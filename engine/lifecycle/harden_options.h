// The isolation and resources of a container request: validated at create time into the
// container's config.json (extensions "security" and "resources",
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
#include "request/container_request.h"

namespace berth::engine::lifecycle {

// Checks the request's isolation and limits against this host (capability and sysctl names,
// the seccomp profile, which is read and compiled now so that a broken one fails `create`, the
// CPU count) and stores them in cfg.extensions. Throws Error (125) naming the value at fault.
void apply_harden(const request::Security& security, const request::Resources& resources,
                  core::state::ContainerConfig& cfg);

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
