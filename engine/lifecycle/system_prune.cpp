#include "engine/lifecycle/system_prune.h"

#include "common/error.h"
#include "core/state/container_store.h"
#include "engine/image/remove.h"
#include "engine/image/store.h"
#include "engine/lifecycle/container_control.h"
#include "network/networks.h"
#include "volumes/volume_ops.h"
#include "volumes/volume_store.h"

namespace berth::engine::lifecycle {

namespace {

void prune_containers(const Paths& paths, SystemPruneReport& r) {
  core::state::ContainerStore containers(paths);
  for (const auto& c : containers.list()) {
    if (c.state.status == core::state::Status::kRunning) continue;
    const int64_t size = volumes::VolumeStore::size(containers.dir(c.config.id) / "upper");
    try {
      remove_container(containers, c.config.id, false);
      r.containers.push_back(c.config.id);
      r.reclaimed += size;
    } catch (const Error& e) {
      r.failures.push_back(e.what());
    }
  }
}

}  // namespace

SystemPruneReport prune_system(const Paths& paths, const SystemPruneOptions& o) {
  SystemPruneReport r;
  prune_containers(paths, r);
  r.networks = network::prune_networks(paths, {});
  if (o.volumes) {
    volumes::PruneReport vr = volumes::prune_volumes(paths, false);
    r.volumes = std::move(vr.removed);
    r.reclaimed += vr.reclaimed;
  }
  image::Store images(paths);
  image::PruneReport ir = image::prune_images(images, o.all_images);
  r.images = std::move(ir.lines);
  r.reclaimed += ir.reclaimed;
  return r;
}

}  // namespace berth::engine::lifecycle
