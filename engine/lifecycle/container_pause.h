// `pause` / `unpause`: freeze and thaw every process of a running container through its
// cgroup (runtime/freezer.h). The state record carries `paused` so that `ps` shows
// "Up 3 seconds (Paused)" and `inspect` State.Status "paused"; the kernel's freezer state is
// the truth that exec and stop consult.
#pragma once

#include <string>

#include "core/state/container_store.h"

namespace berth::engine::lifecycle {

// Throws Error (exit 1): "Container ID is not running", "Container ID is already paused".
void pause_container(const core::state::ContainerStore& store, const std::string& id);
// Throws Error (exit 1): "Container ID is not paused".
void unpause_container(const core::state::ContainerStore& store, const std::string& id);
// Thaws a frozen container (so a stop or kill signal can take effect); no-op otherwise, or when
// it ends meanwhile. Throws Error when it stays frozen.
void unpause_if_paused(const core::state::ContainerStore& store, const std::string& id);

}  // namespace berth::engine::lifecycle
