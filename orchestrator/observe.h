// The current state of a compose project as the engine's records hold it: its containers
// (found by com.docker.compose.project), and the networks and volumes that exist, with their
// project label. What the planner (plan.h) compares the Project with.
#pragma once

#include <string>

#include "common/file_lock.h"
#include "common/paths.h"
#include "orchestrator/plan.h"

namespace berth::orchestrator {

CurrentState observe(const Paths& paths, const std::string& project);

// The IDs of the images the project's services run now (CurrentState::images): those in the
// store; a missing one is left out.
void observe_images(const Paths& paths, const schema::Project& project, CurrentState& state);

// Held for a whole `up` or `down`: two of them on the same project wait for each other
// instead of racing (<runroot>/locks/compose-<project>.lock). Throws Error.
FileLock lock_project(const Paths& paths, const std::string& project);

}  // namespace berth::orchestrator
