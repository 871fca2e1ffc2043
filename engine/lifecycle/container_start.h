// `start` (and the second half of `run`): turns a container record into a RuntimeSpec —
// image layers, argv, env, the user's ids read from the image's /etc/passwd and /etc/group —
// and hands it to a new monitor. Returns once the container's process has exec'd.
#pragma once

#include "common/paths.h"
#include "core/runtime/spec.h"
#include "core/state/container.h"
#include "engine/lifecycle/spawn.h"

namespace berth::engine::lifecycle {

// Which of the caller's stdio fds the monitor gets (attached run / start -a); -1 = none.
struct Attach {
  int fds[3] = {-1, -1, -1};
  bool any() const { return fds[0] >= 0 || fds[1] >= 0 || fds[2] >= 0; }
};

// Resolves everything the monitor needs. Throws NotFound when the image is gone, Error (125)
// for an unknown user.
core::runtime::RuntimeSpec build_spec(const Paths& paths, const core::state::Container& c,
                                      const Attach& attach);

// Starts a created or exited container. Throws Error when it is already running, or with
// 125/126/127 and the init's message when its process could not start.
MonitorProcess start_container(const Paths& paths, const core::state::Container& c,
                               const Attach& attach = {});

}  // namespace berth::engine::lifecycle
