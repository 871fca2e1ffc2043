#include "engine/lifecycle/disk_usage.h"

#include <set>

#include "core/state/container_store.h"
#include "engine/image/store.h"
#include "volumes/volume_ops.h"
#include "volumes/volume_store.h"

namespace berth::engine::lifecycle {

DiskUsage disk_usage(const Paths& paths) {
  DiskUsage u;
  core::state::ContainerStore containers(paths);
  std::set<std::string> used_images;
  for (const auto& c : containers.list()) {
    used_images.insert(c.config.image_id);
    const int64_t s = volumes::VolumeStore::size(containers.dir(c.config.id) / "upper");
    ++u.containers.total;
    u.containers.size += s;
    if (c.state.status == core::state::Status::kRunning)
      ++u.containers.active;
    else
      u.containers.reclaimable += s;
  }
  for (const auto& i : image::Store(paths).list()) {
    ++u.images.total;
    u.images.size += i.size;
    if (used_images.count(i.id))
      ++u.images.active;
    else
      u.images.reclaimable += i.size;
  }
  const volumes::VolumeUsage v = volumes::volume_usage(paths);
  u.volumes = {v.total, v.active, v.size, v.reclaimable};
  const int64_t cache = volumes::VolumeStore::size(paths.build_cache());
  u.build_cache = {0, 0, cache, cache};
  return u;
}

}  // namespace berth::engine::lifecycle
