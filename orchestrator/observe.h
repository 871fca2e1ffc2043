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

// Held for a whole `up` or `down`: two of them on the same project wait for each other
// instead of racing (<runroot>/locks/compose-<project>.lock). Throws Error.
FileLock lock_project(const Paths& paths, const std::string& project);

}  // namespace berth::orchestrator
