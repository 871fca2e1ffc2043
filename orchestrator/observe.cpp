#include "orchestrator/observe.h"

#include <charconv>
#include <filesystem>

#include "core/state/container_store.h"
#include "engine/image/store.h"
#include "network/network_store.h"
#include "orchestrator/labels.h"
#include "volumes/volume_store.h"

namespace berth::orchestrator {

namespace {

std::string label(const std::map<std::string, std::string>& labels, const char* key) {
  auto it = labels.find(key);
  return it == labels.end() ? "" : it->second;
}

int number_of(const std::string& text) {
  int n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  return ec == std::errc() && end == text.data() + text.size() ? n : 0;
}

}  // namespace

void observe_images(const Paths& paths, const schema::Project& project, CurrentState& state) {
  const engine::image::Store store(paths);
  for (const auto& s : project.services) {
    const std::string ref = schema::service_image(project, s);
    if (auto img = store.find(ref)) state.images[ref] = img->id;
  }
}

CurrentState observe(const Paths& paths, const std::string& project) {
  CurrentState cur;
  for (const auto& c : core::state::ContainerStore(paths).list()) {
    const auto& l = c.config.labels;
    if (label(l, kProjectLabel) != project) continue;
    cur.containers.push_back({.id = c.id(),
                              .name = c.config.name,
                              .service = label(l, kServiceLabel),
                              .number = number_of(label(l, kNumberLabel)),
                              .config_hash = label(l, kConfigHashLabel),
                              .image_id = c.config.image_id,
                              .running = c.running(),
                              .oneoff = label(l, kOneoffLabel) == "True"});
  }
  for (const auto& n : network::NetworkStore(paths).list())
    cur.networks[n.name] = label(n.labels, kProjectLabel);
  const volumes::VolumeStore volumes(paths);
  for (const auto& v : volumes.list()) {
    // A volume without its meta.json is one whose creation a killed command cut short (the
    // store lists it so that it can be removed). Taken as existing, the project would use it
    // without its labels (the mount creates a bare meta.json) and `down -v` would never remove
    // it. Left out, it is planned as missing, and its creation completes it with the labels.
    if (v.labels.empty() && !volumes.find(v.name)) continue;
    cur.volumes[v.name] = label(v.labels, kProjectLabel);
  }
  return cur;
}

FileLock lock_project(const Paths& paths, const std::string& project) {
  std::filesystem::create_directories(paths.locks());
  return FileLock(paths.locks() / ("compose-" + project + ".lock"));
}

}  // namespace berth::orchestrator
