// The verbs that act on a running container from outside its monitor: kill, stop, restart,
// rm, wait. They find the container's process from state.json and signal it through a pidfd
// opened while its monitor provably holds the lock (so a recycled pid is never signalled),
// and wait for its end with inotify + pidfd (state/container_store.h) — never by polling.
#pragma once

#include <string>

#include "common/error.h"
#include "common/paths.h"
#include "core/state/container_store.h"

namespace berth::engine::lifecycle {

// The container's process is not running (any more): what `kill` reports, and what `stop` and
// `rm -f` expect when it ends on its own meanwhile.
class NotRunning : public Error {
 public:
  using Error::Error;
};

// Sends sig to the container's init. Throws NotRunning "Container ID is not running" (exit 1),
// NotFound when the container is gone (--rm), Error for any other failure.
void kill_container(const core::state::ContainerStore& store, const std::string& id, int sig);

// Sends the image's StopSignal (or SIGTERM), waits timeout_s seconds (< 0: the container's
// own stop timeout, default 10), then SIGKILL; returns once the monitor has recorded the exit
// and gone. A container that is not running is left as it is, and one that its monitor
// removes on the way out (--rm) is stopped too.
void stop_container(const core::state::ContainerStore& store, const std::string& id,
                    int timeout_s = -1);

// stop, then start again (detached).
void restart_container(const Paths& paths, const std::string& id, int timeout_s = -1);

// Removes the container. Running: refused unless force, which kills it first. Cleans what a
// lost monitor left behind (cgroups). Throws Error listing every failure.
void remove_container(const core::state::ContainerStore& store, const std::string& id, bool force);

// Blocks until the container is not running; returns its exit code.
int wait_container(const core::state::ContainerStore& store, const std::string& id);

}  // namespace berth::engine::lifecycle
