#include "engine/lifecycle/container_list.h"

#include "common/error.h"

namespace berth::engine::lifecycle {

ContainerFilter::ContainerFilter(const std::vector<std::string>& filters) {
  for (const auto& f : filters) {
    size_t eq = f.find('=');
    if (eq == std::string::npos) throw Error("invalid filter '" + f + "'", 125);
    std::string key = f.substr(0, eq);
    if (key != "label" && key != "name" && key != "status" && key != "id" && key != "health")
      throw Error("invalid filter '" + key + "'", 125);
    std::string value = f.substr(eq + 1);
    if (key == "health" && value != "starting" && value != "healthy" && value != "unhealthy" &&
        value != "none")
      throw Error("Unrecognised filter value for health: " + value, 125);
    if (key == "status" && value != "created" && value != "running" && value != "exited" &&
        value != "dead" && value != "paused" && value != "restarting" && value != "removing")
      throw Error("invalid filter 'status=" + value + "'", 125);
    filters_.emplace_back(key, value);
  }
}

bool ContainerFilter::has_status() const {
  for (const auto& [k, v] : filters_)
    if (k == "status") return true;
  return false;
}

bool ContainerFilter::all_labels_match(const core::state::Container& c) const {
  for (const auto& [k, v] : filters_) {
    if (k != "label") continue;
    size_t eq = v.find('=');
    auto it = c.config.labels.find(v.substr(0, eq));
    if (it == c.config.labels.end() || (eq != std::string::npos && it->second != v.substr(eq + 1)))
      return false;
  }
  return true;
}

bool ContainerFilter::matches(const core::state::Container& c) const {
  for (const char* key : {"label", "name", "status", "id", "health"}) {
    bool present = false, any = false;
    for (const auto& [k, v] : filters_) {
      if (k != key) continue;
      present = true;
      if (k == "label") {
        size_t eq = v.find('=');
        auto it = c.config.labels.find(v.substr(0, eq));
        any |= it != c.config.labels.end() &&
               (eq == std::string::npos || it->second == v.substr(eq + 1));
      } else if (k == "name") {
        any |= c.config.name.find(v.starts_with('/') ? v.substr(1) : v) != std::string::npos;
      } else if (k == "status") {
        any |= v == core::state::docker_status(c.state);
      } else if (k == "health") {
        any |= v == (c.state.health ? c.state.health->status : std::string("none"));
      } else {
        any |= c.id().starts_with(v);
      }
    }
    if (present && !any) return false;
    if (std::string(key) == "label" && present && !all_labels_match(c)) return false;
  }
  return true;
}

}  // namespace berth::engine::lifecycle
