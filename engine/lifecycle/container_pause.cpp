#include "engine/lifecycle/container_pause.h"

#include "common/error.h"
#include "core/runtime/freezer.h"
#include "core/state/events.h"

namespace berth::engine::lifecycle {

namespace {

void record_paused(const core::state::ContainerStore& store, const std::string& id, bool paused) {
  store.update_state(id, [paused](core::state::ContainerState& st) { st.paused = paused; });
}

}  // namespace

void pause_container(const core::state::ContainerStore& store, const std::string& id) {
  core::state::Container c = store.load(id);
  if (!c.running()) throw Error("Container " + id + " is not running");
  core::runtime::Cgroups cgroups;
  if (core::runtime::frozen(cgroups, id)) throw Error("Container " + id + " is already paused");
  core::runtime::freeze(cgroups, id);
  record_paused(store, id, true);
  core::state::record_event(store.paths(), core::state::container_event(c.config, "pause"));
}

void unpause_container(const core::state::ContainerStore& store, const std::string& id) {
  core::state::Container c = store.load(id);
  core::runtime::Cgroups cgroups;
  if (!c.running() || !core::runtime::frozen(cgroups, id))
    throw Error("Container " + id + " is not paused");
  core::runtime::thaw(cgroups, id);
  record_paused(store, id, false);
  core::state::record_event(store.paths(), core::state::container_event(c.config, "unpause"));
}

void unpause_if_paused(const core::state::ContainerStore& store, const std::string& id) {
  core::runtime::Cgroups cgroups;
  if (!core::runtime::frozen(cgroups, id)) return;
  try {
    core::runtime::thaw(cgroups, id);
    record_paused(store, id, false);
  } catch (const Error&) {
    // The container ended meanwhile (its cgroup went with it): nothing to thaw. One that is
    // still frozen could not act on a signal: that failure is the caller's.
    if (core::runtime::frozen(cgroups, id)) throw;
  }
}

}  // namespace berth::engine::lifecycle
