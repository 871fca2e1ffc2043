// Resource limits (request/ulimits.h: the typed entry and its syntax), applied with
// setrlimit(2) in the container's init and in exec'd processes (security.h). A limit the
// process could not set (raising a hard limit needs CAP_SYS_RESOURCE, which these hosts lack)
// is refused before the container starts, with a message saying why.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "request/ulimits.h"

namespace berth::core::runtime {

using request::rlimit_resource;
using request::Ulimit;

// Throws Error (125) when this process cannot set `u` (hard limit above its own without
// CAP_SYS_RESOURCE): "ulimit nofile=65536:65536: cannot raise the hard limit above 20000
// without CAP_SYS_RESOURCE".
void check_ulimit_settable(const Ulimit& u);

nlohmann::json to_json(const Ulimit& u);
Ulimit ulimit_from_json(const nlohmann::json& j);

}  // namespace berth::core::runtime
