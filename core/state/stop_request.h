// The stop request: how `stop`, `kill` and `rm -f` tell a container's monitor not to apply
// its restart policy (there is no daemon to tell). A file <root>/containers/<id>/stop-request
// holding "stop" (stop, kill with the stop signal, rm -f: never restart) or "kill" (any other
// signal: only `always` and `on-failure` restart, as Docker's "manually stopped"). It is in
// the persistent root, so `system restore` after a reboot skips a stopped unless-stopped
// container. The monitor clears it when it starts the container.
#pragma once

#include <string>

#include "core/state/container_store.h"

namespace berth::core::state {

enum class StopRequest { kNone, kKill, kStop };

// Records req; a "stop" is never downgraded to "kill". Throws Error.
void write_stop_request(const ContainerStore& store, const std::string& id, StopRequest req);
StopRequest read_stop_request(const ContainerStore& store, const std::string& id);
void clear_stop_request(const ContainerStore& store, const std::string& id);

}  // namespace berth::core::state
