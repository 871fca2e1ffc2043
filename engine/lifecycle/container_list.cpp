#include "engine/lifecycle/container_list.h"

#include <time.h>

#include "common/error.h"
#include "common/timestamps.h"
#include "engine/lifecycle/container_ports.h"
#include "network/endpoints.h"

namespace berth::engine::lifecycle {

using state::Status;

namespace {

double since(const std::string& rfc3339, const timespec& now) {
  auto t = berth::parse_rfc3339(rfc3339);
  return t ? berth::seconds_between(*t, now) : 0;
}

// Display width of UTF-8 text (code points).
size_t width(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string labels_text(const state::ContainerConfig& c) {
  std::string out;
  for (const auto& [k, v] : c.labels) out += (out.empty() ? "" : ",") + k + "=" + v;
  return out;
}

// "2026-11-29 19:00:19 +0000 UTC", Go's time.Time String() as `ps --format json` prints it.
std::string created_at(const std::string& rfc3339) {
  auto t = berth::parse_rfc3339(rfc3339);
  if (!t) return rfc3339;
  const tm parts = berth::utc_time(t->tv_sec);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S +0000 UTC", &parts);
  return buf;
}

}  // namespace

std::string status_text(const state::Container& c, const timespec& now) {
  switch (c.state.status) {
    case Status::kRunning:
      return "Up " + berth::human_duration(since(c.state.started_at, now)) +
             (c.state.paused ? " (Paused)" : "");
    case Status::kExited:
      if (c.state.restarting)
        return "Restarting (" + std::to_string(c.state.exit_code) + ") " +
               berth::human_duration(since(c.state.finished_at, now)) + " ago";
      return "Exited (" + std::to_string(c.state.exit_code) + ") " +
             berth::human_duration(since(c.state.finished_at, now)) + " ago";
    case Status::kCreated:
      return "Created";
    case Status::kDead:
      return "Dead";
  }
  return "Dead";
}

std::string running_for(const state::Container& c, const timespec& now) {
  return berth::human_duration(since(c.config.created, now)) + " ago";
}

std::string command_text(const state::ContainerConfig& c, bool no_trunc) {
  std::string cmd = c.path;
  for (const auto& a : c.args) cmd += " " + a;
  if (!no_trunc && width(cmd) > 20) {
    size_t bytes = 0, chars = 0;
    for (; bytes < cmd.size(); ++bytes) {
      if ((static_cast<unsigned char>(cmd[bytes]) & 0xC0) == 0x80) continue;
      if (chars++ == 19) break;
    }
    cmd = cmd.substr(0, bytes) + "…";
  }
  // Go's strconv.Quote, as Docker prints it.
  std::string quoted = "\"";
  for (char ch : cmd) {
    if (ch == '"' || ch == '\\') quoted += '\\';
    quoted += ch;
  }
  return quoted + "\"";
}

ContainerFilter::ContainerFilter(const std::vector<std::string>& filters) {
  for (const auto& f : filters) {
    size_t eq = f.find('=');
    if (eq == std::string::npos) throw Error("invalid filter '" + f + "'", 125);
    std::string key = f.substr(0, eq);
    if (key != "label" && key != "name" && key != "status" && key != "id")
      throw Error("invalid filter '" + key + "'", 125);
    std::string value = f.substr(eq + 1);
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

bool ContainerFilter::all_labels_match(const state::Container& c) const {
  for (const auto& [k, v] : filters_) {
    if (k != "label") continue;
    size_t eq = v.find('=');
    auto it = c.config.labels.find(v.substr(0, eq));
    if (it == c.config.labels.end() || (eq != std::string::npos && it->second != v.substr(eq + 1)))
      return false;
  }
  return true;
}

bool ContainerFilter::matches(const state::Container& c) const {
  for (const char* key : {"label", "name", "status", "id"}) {
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
        any |= v == state::docker_status(c.state);
      } else {
        any |= c.id().starts_with(v);
      }
    }
    if (present && !any) return false;
    if (std::string(key) == "label" && present && !all_labels_match(c)) return false;
  }
  return true;
}

namespace {

// Docker's NETWORKS: the networks a bridged container is on, comma-separated; "host" or
// "none" for those modes; nothing when it shares another container's.
std::string networks_text(const state::ContainerConfig& c) {
  const network::ContainerNetworking n = network::networking_from_extensions(c.extensions);
  if (n.is_container()) return "";
  if (!n.uses_bridges()) return n.mode;
  std::string out;
  for (const auto& e : n.endpoints) out += (out.empty() ? "" : ",") + e.network;
  return out;
}

}  // namespace

nlohmann::json ps_json(const state::Container& c, const timespec& now) {
  return {{"Command", command_text(c.config)},
          {"CreatedAt", created_at(c.config.created)},
          {"ID", c.id().substr(0, 12)},
          {"Image", c.config.image},
          {"Labels", labels_text(c.config)},
          {"LocalVolumes", "0"},
          {"Mounts", ""},
          {"Names", c.config.name},
          {"Networks", networks_text(c.config)},
          {"Ports", ports_text(container_ports(c.config), c.running())},
          {"RunningFor", running_for(c, now)},
          {"Size", "0B"},
          {"State", state::docker_status(c.state)},
          {"Status", status_text(c, now)}};
}

std::string ps_table(const std::vector<state::Container>& rows, const timespec& now,
                     bool no_trunc) {
  std::vector<std::vector<std::string>> table = {
      {"CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES"}};
  for (const auto& c : rows) {
    table.push_back({no_trunc ? c.id() : c.id().substr(0, 12), c.config.image,
                     command_text(c.config, no_trunc), running_for(c, now), status_text(c, now),
                     ports_text(container_ports(c.config), c.running()), c.config.name});
  }
  std::vector<size_t> widths(table[0].size(), 0);
  for (const auto& r : table)
    for (size_t i = 0; i < r.size(); ++i) widths[i] = std::max(widths[i], width(r[i]));
  std::string out;
  for (const auto& r : table) {
    std::string line;
    for (size_t i = 0; i < r.size(); ++i) {
      line += r[i];
      if (i + 1 < r.size()) line += std::string(widths[i] - width(r[i]) + 3, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

}  // namespace berth::engine::lifecycle
