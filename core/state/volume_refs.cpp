#include "core/state/volume_refs.h"

#include <algorithm>
#include <set>
#include <system_error>

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/file_lock.h"

namespace berth::core::state {

namespace {

// The volume names a container's record mounts.
std::vector<std::string> volume_names(const ContainerConfig& c) {
  std::vector<std::string> out;
  auto it = c.extensions.find("mounts");
  if (it == c.extensions.end() || !it->is_array()) return out;
  for (const auto& m : *it)
    if (m.is_object() && m.value("Type", "") == "volume" && m.contains("Name") &&
        m["Name"].is_string())
      out.push_back(m["Name"].get<std::string>());
  return out;
}

}  // namespace

std::filesystem::path volumes_lock(const Paths& paths) {
  return paths.locks() / "volumes.lock";
}

std::vector<std::string> containers_using_volume(const ContainerStore& store,
                                                 const std::string& name) {
  std::vector<std::string> ids;
  for (const auto& c : store.list()) {
    auto names = volume_names(c.config);
    if (std::find(names.begin(), names.end(), name) != names.end()) ids.push_back(c.id());
  }
  return ids;
}

std::vector<std::string> volumes_in_use(const ContainerStore& store) {
  std::set<std::string> names;
  for (const auto& c : store.list())
    for (auto& n : volume_names(c.config)) names.insert(std::move(n));
  return {names.begin(), names.end()};
}

std::string release_anonymous_volumes(const ContainerStore& store,
                                      const std::vector<std::filesystem::path>& dirs) {
  if (dirs.empty()) return "";
  std::string errors;
  try {
    make_dirs(store.paths().locks());
    FileLock lock(volumes_lock(store.paths()));
    const auto used = volumes_in_use(store);
    for (const auto& dir : dirs) {
      if (std::find(used.begin(), used.end(), dir.filename().string()) != used.end()) continue;
      std::error_code ec;
      std::filesystem::remove_all(dir, ec);
      if (ec) errors += (errors.empty() ? "" : "; ") + dir.string() + ": " + ec.message();
    }
  } catch (const Error& e) {
    errors += (errors.empty() ? "" : "; ") + std::string(e.what());
  }
  return errors;
}

}  // namespace berth::core::state
