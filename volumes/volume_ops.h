// The volume verbs that need the container records: rm (refuses a volume in use), prune,
// disk usage, and rm -v's release of a container's anonymous volumes.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/paths.h"
#include "core/state/container.h"

namespace berth::volumes {

// Deletes volume `name`. Throws NotFound (unless force) and Error "remove NAME: volume is in
// use - [ID, ...]" when any container, running or not, mounts it (also with force, as Docker).
void remove_volume(const Paths& paths, const std::string& name, bool force);

struct PruneReport {
  std::vector<std::string> removed;
  int64_t reclaimed = 0;
};
// Deletes unused volumes: anonymous ones only, unless all (Docker ≥ 23). label filters
// ("key" or "key=value") restrict it further.
PruneReport prune_volumes(const Paths& paths, bool all,
                          const std::vector<std::string>& label_filters = {});

struct VolumeUsage {
  int total = 0, active = 0;
  int64_t size = 0, reclaimable = 0;
};
VolumeUsage volume_usage(const Paths& paths);

// rm -v: deletes the container's anonymous volumes that no other container mounts.
// Best effort: returns the failures ("" when none).
std::string release_container_volumes(const Paths& paths, const core::state::ContainerConfig& c);

// True when the volume has every label filter ("k" or "k=v").
bool matches_labels(const std::map<std::string, std::string>& labels,
                    const std::vector<std::string>& filters);

}  // namespace berth::volumes
