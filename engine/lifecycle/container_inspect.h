// `inspect` for containers: Docker's JSON shape (Id, Created, Path, Args, State{...}, Image,
// Name "/web", Config{...}, HostConfig{...}, Mounts, NetworkSettings, ...), built from the
// two records. Fields berth does not have yet carry Docker's empty values, so tools that read
// Docker's output find every key they expect.
#pragma once

#include <nlohmann/json.hpp>

#include "core/state/container_store.h"

namespace berth::engine::lifecycle {

nlohmann::ordered_json inspect_json(const core::state::ContainerStore& store,
                                    const core::state::Container& c);

}  // namespace berth::engine::lifecycle
