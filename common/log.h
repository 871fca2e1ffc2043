// Diagnostics through spdlog (--log-level), always on stderr. Kept out of the core
// `berth_common` target so the static monitor binary does not need spdlog.
#pragma once

#include <string>

namespace berth {

// Sets the global spdlog level from "debug", "info", "warn", "error" or "off".
// Throws Error for an unknown level name.
void init_logging(const std::string& level);

}  // namespace berth
