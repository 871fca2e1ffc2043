#include "engine/lifecycle/container_pause.h"

#include "common/error.h"
#include "engine/runtime/freezer.h"

namespace berth::engine::lifecycle {

namespace {

void record_paused(const state::ContainerStore& store, const std::string& id, bool paused) {
  state::ContainerState st = store.read_state(id);
  st.paused = paused;
  store.write_state(id, st);
}

}  // namespace

void pause_container(const state::ContainerStore& store, const std::string& id) {
  state::Container c = store.load(id);
  if (!c.running()) throw Error("Container " + id + " is not running");
  runtime::Cgroups cgroups;
  if (runtime::frozen(cgroups, id)) throw Error("Container " + id + " is already paused");
  runtime::freeze(cgroups, id);
  record_paused(store, id, true);
}

void unpause_container(const state::ContainerStore& store, const std::string& id) {
  state::Container c = store.load(id);
  runtime::Cgroups cgroups;
  if (!c.running() || !runtime::frozen(cgroups, id))
    throw Error("Container " + id + " is not paused");
  runtime::thaw(cgroups, id);
  record_paused(store, id, false);
}

void unpause_if_paused(const state::ContainerStore& store, const std::string& id) {
  runtime::Cgroups cgroups;
  if (!runtime::frozen(cgroups, id)) return;
  try {
    runtime::thaw(cgroups, id);
    record_paused(store, id, false);
  } catch (const Error&) {
    // The container ended meanwhile.
  }
}

}  // namespace berth::engine::lifecycle
