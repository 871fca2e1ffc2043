// `system restore`: what a daemon would do at boot, as one command (berth has no daemon; run
// it from the host's init, e.g. a systemd unit, after a reboot). Starts every container that
// is not running and whose restart policy says it should come back: `always`, and
// `unless-stopped` unless it was stopped by hand (state/stop_request.h). Docker's daemon does
// the same for those two policies when it starts.
#pragma once

#include <string>
#include <vector>

#include "common/paths.h"

namespace berth::engine::lifecycle {

struct RestoreResult {
  std::vector<std::string> started;  // container names
  std::vector<std::string> errors;   // "name: message"
};

RestoreResult restore_containers(const Paths& paths);

}  // namespace berth::engine::lifecycle
