// Which containers of a compose project a subcommand acts on, as Compose's getContainers and
// getSpecifiedContainer choose them from the containers found by label (orchestrator/observe.h).
// Used by the compose_* command files.
#pragma once

#include <string>
#include <vector>

#include "orchestrator/plan.h"

namespace berth::cli {

// Whether one-off containers (`compose run`'s) are among those chosen.
enum class OneOff { kInclude, kExclude };

// The containers of `services` (every service when empty), only the running ones unless `all`,
// in service order then by number (one-offs last).
std::vector<orchestrator::ObservedContainer> service_containers(
    const orchestrator::CurrentState& current, OneOff oneoff, bool all,
    const std::vector<std::string>& services);

// The service's container numbered `index` (> 0), or its first; throws Error (exit 1)
// `service "web" is not running` (`... is not running container #2` with an index).
orchestrator::ObservedContainer specified_container(const orchestrator::CurrentState& current,
                                                    OneOff oneoff, bool all,
                                                    const std::string& service, int index);

}  // namespace berth::cli
