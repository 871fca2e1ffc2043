#include "volumes/container_mounts.h"

#include <sys/stat.h>

#include <spdlog/spdlog.h>
#include <set>
#include <stdexcept>
#include <system_error>

#include "common/atomic_file.h"
#include "common/error.h"
#include "core/state/container_store.h"
#include "volumes/copy_up.h"
#include "volumes/volume_store.h"

namespace berth::volumes {

namespace fs = std::filesystem;
using nlohmann::json;
using request::MountRequest;
using Type = MountRequest::Type;

namespace {

const char* type_name(Type t) {
  return t == Type::kVolume ? "volume" : t == Type::kBind ? "bind" : "tmpfs";
}

json record(const MountRequest& r, const std::string& volume_name, const fs::path& source,
            bool anonymous) {
  json j = {{"Type", type_name(r.type)}};
  if (r.type == Type::kVolume) j["Name"] = volume_name;
  j["Source"] = source.string();
  j["Destination"] = r.target;
  if (r.type == Type::kVolume) j["Driver"] = "local";
  j["Mode"] = r.mode;
  j["RW"] = !r.readonly;
  j["Propagation"] =
      r.type == Type::kBind ? (r.propagation.empty() ? "rprivate" : r.propagation) : "";
  if (anonymous) j["Anonymous"] = true;
  if (r.nocopy) j["NoCopy"] = true;
  if (r.type == Type::kTmpfs) {
    j["TmpfsData"] = r.tmpfs_data;
    j["TmpfsFlags"] = r.tmpfs_flags;
  }
  return j;
}

// --volumes-from CONTAINER[:ro|:rw]: its volume and bind records, Anonymous dropped (they
// stay the other container's), RW overridden when asked.
json inherit(const Paths& paths, const request::VolumesFrom& from) {
  core::state::ContainerStore store(paths);
  const auto other = store.find(from.container);
  json out = json::array();
  for (auto m : other.config.extensions.value("mounts", json::array())) {
    if (m.value("Type", "") == "tmpfs") continue;
    m.erase("Anonymous");
    if (from.read_only) m["RW"] = !*from.read_only;
    out.push_back(m);
  }
  return out;
}

}  // namespace

MountPlanner::MountPlanner(const Paths& paths, const std::vector<MountRequest>& mounts,
                           const std::vector<request::VolumesFrom>& volumes_from,
                           const json& image_config)
    : paths_(paths), requests_(mounts) {
  std::set<std::string> targets;
  for (const auto& r : requests_) {
    if (r.type == Type::kBind && (r.source.empty() || r.source.front() != '/'))
      throw Error("invalid mount config for type \"bind\": invalid mount path: '" + r.source +
                      "' mount path must be absolute",
                  125);
    if (!targets.insert(r.target).second) throw Error("Duplicate mount point: " + r.target, 125);
  }
  for (const auto& from : volumes_from)
    for (auto& m : inherit(paths, from))
      if (targets.insert(m.value("Destination", "")).second) inherited_.push_back(std::move(m));
  // The image's VOLUMEs that no flag covers become anonymous volumes.
  if (image_config.is_object() && image_config.contains("Volumes") &&
      image_config["Volumes"].is_object()) {
    for (const auto& [path, _] : image_config["Volumes"].items()) {
      MountRequest r;
      try {
        r.target = request::clean_absolute(path, "image volume");
      } catch (const std::invalid_argument& e) {
        throw Error(e.what(), 125);  // the image's config, not the user's input
      }
      r.mode = "";
      if (targets.insert(r.target).second) requests_.push_back(r);
    }
  }
}

MountPlanner::~MountPlanner() {
  if (committed_) return;
  VolumeStore store(paths_);
  for (const auto& name : created_) {
    try {
      store.remove(name);
    } catch (const Error& e) {
      spdlog::warn("undo the creation of volume {}: {}", name, e.what());
    }
  }
}

json MountPlanner::acquire() {
  json out = json::array();
  bool any_volume = !inherited_.empty();
  for (const auto& r : requests_) any_volume = any_volume || r.type == Type::kVolume;
  if (any_volume) lock_.emplace(VolumeStore(paths_).lock());
  VolumeStore store(paths_);
  for (const auto& r : requests_) {
    if (r.type == Type::kTmpfs) {
      out.push_back(record(r, "", "", false));
    } else if (r.type == Type::kBind) {
      struct stat st {};
      if (::stat(r.source.c_str(), &st) < 0) {
        if (!r.from_v)
          throw Error("invalid mount config for type \"bind\": bind source path does not exist: " +
                          r.source,
                      125);
        make_dirs(r.source, 0755);
      }
      out.push_back(record(r, "", r.source, false));
    } else {
      const bool existed = !r.source.empty() && store.find(r.source).has_value();
      Volume v = store.create(r.source, {}, {}, r.source.empty());
      if (!existed) created_.push_back(v.name);
      out.push_back(record(r, v.name, v.mountpoint, r.source.empty()));
    }
  }
  for (const auto& m : inherited_) {
    if (m.value("Type", "") == "volume" && !store.find(m.value("Name", "")))
      throw Error("volume " + m.value("Name", "") + " of --volumes-from no longer exists", 125);
    out.push_back(m);
  }
  return out;
}

void MountPlanner::commit() {
  committed_ = true;
  lock_.reset();
}

std::vector<core::runtime::MountSpec> runtime_mounts(const Paths& paths,
                                                     const core::state::ContainerConfig& c,
                                                     const std::vector<fs::path>& layers) {
  using core::runtime::MountSpec;
  std::vector<MountSpec> out;
  auto it = c.extensions.find("mounts");
  if (it == c.extensions.end() || !it->is_array()) return out;
  VolumeStore store(paths);
  for (const auto& m : *it) {
    MountSpec s;
    const std::string type = m.value("Type", "");
    s.target = m.value("Destination", "");
    s.readonly = !m.value("RW", true);
    if (type == "tmpfs") {
      s.type = MountSpec::Type::kTmpfs;
      s.data = m.value("TmpfsData", "");
      s.flags = m.value("TmpfsFlags", 0UL);
    } else if (type == "volume") {
      const std::string name = m.value("Name", "");
      if (!store.find(name)) throw Error("volume " + name + ": no such volume", 125);
      s.source = (store.dir(name) / "_data").string();
      if (!m.value("NoCopy", false) && store.empty(name)) {
        make_dirs(paths.runroot);
        copy_up(layers, s.target, s.source, paths.runroot);
      }
      if (m.value("Anonymous", false)) s.anonymous_volume = store.dir(name).string();
    } else {
      s.source = m.value("Source", "");
      s.propagation = m.value("Propagation", "rprivate");
      struct stat st {};
      if (::stat(s.source.c_str(), &st) < 0)
        throw Error(
            "invalid mount config for type \"bind\": bind source path does not exist: " + s.source,
            125);
    }
    out.push_back(std::move(s));
  }
  return out;
}

nlohmann::ordered_json inspect_mounts(const core::state::ContainerConfig& c) {
  auto out = nlohmann::ordered_json::array();
  for (const auto& m : c.extensions.value("mounts", json::array())) {
    auto j = nlohmann::ordered_json::object();
    for (const char* k :
         {"Type", "Name", "Source", "Destination", "Driver", "Mode", "RW", "Propagation"})
      if (m.contains(k)) j[k] = m[k];
    out.push_back(j);
  }
  return out;
}

std::vector<fs::path> anonymous_volumes(const Paths& paths, const core::state::ContainerConfig& c) {
  std::vector<fs::path> out;
  VolumeStore store(paths);
  for (const auto& m : c.extensions.value("mounts", json::array()))
    if (m.value("Type", "") == "volume" && m.value("Anonymous", false))
      out.push_back(store.dir(m.value("Name", "")));
  return out;
}

}  // namespace berth::volumes
