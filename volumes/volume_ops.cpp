#include "volumes/volume_ops.h"

#include <algorithm>

#include "common/error.h"
#include "core/state/container_store.h"
#include "core/state/volume_refs.h"
#include "volumes/container_mounts.h"
#include "volumes/volume_store.h"

namespace berth::volumes {

bool matches_labels(const std::map<std::string, std::string>& labels,
                    const std::vector<std::string>& filters) {
  for (const auto& f : filters) {
    const size_t eq = f.find('=');
    auto it = labels.find(f.substr(0, eq));
    if (it == labels.end()) return false;
    if (eq != std::string::npos && it->second != f.substr(eq + 1)) return false;
  }
  return true;
}

void remove_volume(const Paths& paths, const std::string& name, bool force) {
  VolumeStore store(paths);
  FileLock lock = store.lock();
  if (!store.find(name)) {
    if (force) return;
    throw NotFound("get " + name + ": no such volume");
  }
  auto users = core::state::containers_using_volume(core::state::ContainerStore(paths), name);
  if (!users.empty()) {
    std::string ids;
    for (const auto& id : users) ids += (ids.empty() ? "" : ", ") + id;
    throw Error("remove " + name + ": volume is in use - [" + ids + "]");
  }
  store.remove(name);
}

PruneReport prune_volumes(const Paths& paths, bool all, const std::vector<std::string>& filters) {
  VolumeStore store(paths);
  FileLock lock = store.lock();
  const auto used = core::state::volumes_in_use(core::state::ContainerStore(paths));
  PruneReport r;
  for (const auto& v : store.list()) {
    if (std::find(used.begin(), used.end(), v.name) != used.end()) continue;
    if (!all && !v.anonymous) continue;
    if (!matches_labels(v.labels, filters)) continue;
    const int64_t size = VolumeStore::size(store.dir(v.name));
    store.remove(v.name);
    r.removed.push_back(v.name);
    r.reclaimed += size;
  }
  return r;
}

VolumeUsage volume_usage(const Paths& paths) {
  VolumeStore store(paths);
  const auto used = core::state::volumes_in_use(core::state::ContainerStore(paths));
  VolumeUsage u;
  for (const auto& v : store.list()) {
    const int64_t size = VolumeStore::size(store.dir(v.name));
    ++u.total;
    u.size += size;
    if (std::find(used.begin(), used.end(), v.name) != used.end())
      ++u.active;
    else
      u.reclaimable += size;
  }
  return u;
}

std::string release_container_volumes(const Paths& paths, const core::state::ContainerConfig& c) {
  return core::state::release_anonymous_volumes(core::state::ContainerStore(paths),
                                                anonymous_volumes(paths, c));
}

}  // namespace berth::volumes
