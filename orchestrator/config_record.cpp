#include "orchestrator/config_record.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "common/atomic_file.h"

namespace berth::orchestrator {

namespace {

constexpr const char* kFile = "compose-config.json";

void diff(const nlohmann::json& a, const nlohmann::json& b, const std::string& path,
          std::vector<std::string>& out) {
  if (a == b) return;
  if (!a.is_object() || !b.is_object()) {
    out.push_back(path.empty() ? "*" : path);
    return;
  }
  auto sub = [&](const std::string& k) { return path.empty() ? k : path + "." + k; };
  for (const auto& [k, v] : a.items()) {
    auto it = b.find(k);
    if (it == b.end())
      out.push_back(sub(k));
    else
      diff(v, *it, sub(k), out);
  }
  for (const auto& [k, _] : b.items())
    if (!a.contains(k)) out.push_back(sub(k));
}

}  // namespace

void record_config(const Paths& paths, const std::string& container_id,
                   const std::string& config_json) {
  // Not fsynced: it only explains a later recreate, and lost to a power failure it is reported
  // as "(not recorded)"; an fsync per container cost milliseconds on `up`'s path.
  write_file_atomic(paths.container(container_id) / kFile, config_json, 0600, false);
}

std::vector<std::string> changed_fields(const std::string& old_json, const std::string& new_json) {
  const auto a = nlohmann::json::parse(old_json, nullptr, false);
  const auto b = nlohmann::json::parse(new_json, nullptr, false);
  if (a.is_discarded() || b.is_discarded()) return {"*"};
  std::vector<std::string> out;
  diff(a, b, "", out);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> changed_since_created(const Paths& paths, const std::string& container_id,
                                               const std::string& new_json) {
  const auto old_json = read_file_if_exists(paths.container(container_id) / kFile);
  if (!old_json) return {"(not recorded)"};
  return changed_fields(*old_json, new_json);
}

}  // namespace berth::orchestrator
