// When an image was last pulled: images/pulled/<manifest hex> holds the Unix time in seconds
// of the last pull that resolved to that manifest (written by pull_image, also when the image
// was up to date). Compose's pull_policy daily, weekly and every_<duration> read it
// (orchestrator/pull.h); an image never pulled (imported, loaded, built) has no record.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "common/paths.h"

namespace berth::registry {

using Clock = std::chrono::system_clock;

// Records a pull of the manifest at `when`. Throws Error when the record cannot be written.
void record_pull(const Paths& paths, const std::string& manifest_digest,
                 Clock::time_point when = Clock::now());

// The time of the manifest's last pull; nullopt without a (readable) record.
std::optional<Clock::time_point> last_pull(const Paths& paths, const std::string& manifest_digest);

}  // namespace berth::registry
