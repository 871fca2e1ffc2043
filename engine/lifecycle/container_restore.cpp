#include "engine/lifecycle/container_restore.h"

#include "common/error.h"
#include "core/state/container_store.h"
#include "core/state/stop_request.h"
#include "engine/lifecycle/container_start.h"
#include "engine/lifecycle/supervision_config.h"

namespace berth::engine::lifecycle {

namespace {

bool comes_back(const core::state::ContainerStore& store, const core::state::Container& c) {
  if (c.running() || c.state.status == core::state::Status::kDead) return false;
  const std::string& policy = supervision_of(c.config).restart.name;
  if (policy == "always") return true;
  return policy == "unless-stopped" &&
         core::state::read_stop_request(store, c.id()) == core::state::StopRequest::kNone;
}

}  // namespace

RestoreResult restore_containers(const Paths& paths) {
  core::state::ContainerStore store(paths);
  RestoreResult out;
  for (const auto& c : store.list()) {
    if (!comes_back(store, c)) continue;
    try {
      start_container(paths, c);
      out.started.push_back(c.config.name);
    } catch (const Error& e) {
      out.errors.push_back(c.config.name + ": " + e.what());
    }
  }
  return out;
}

}  // namespace berth::engine::lifecycle
