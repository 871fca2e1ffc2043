// Freezing a container's processes (`pause`/`unpause`): cgroup v1's freezer controller
// (freezer.state: FROZEN / FREEZING / THAWED) or cgroup v2's cgroup.freeze with the
// "frozen" key of cgroup.events. Takes the Cgroups layout, so unit tests can use a fake tree.
#pragma once

#include <string>

#include "core/runtime/cgroups.h"

namespace berth::core::runtime {

// Freezes every process of the container's cgroup and waits (up to ~2 s) until the kernel
// reports it frozen. Throws Error naming the file on failure.
void freeze(const Cgroups& cgroups, const std::string& id);
// Thaws it. Throws Error.
void thaw(const Cgroups& cgroups, const std::string& id);
// True when the container's cgroup is frozen (or freezing). Never throws.
bool frozen(const Cgroups& cgroups, const std::string& id);

}  // namespace berth::core::runtime
