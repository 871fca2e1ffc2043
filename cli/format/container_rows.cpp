#include "cli/format/container_rows.h"

#include "cli/format/ports.h"
#include "cli/format/tabwriter.h"
#include "common/timestamps.h"
#include "engine/lifecycle/container_ports.h"
#include "network/endpoints.h"
#include "volumes/container_mounts.h"

namespace berth::cli::format {

namespace state = core::state;
using core::state::Status;

namespace {

double since(const std::string& rfc3339, const timespec& now) {
  auto t = berth::parse_rfc3339(rfc3339);
  return t ? berth::seconds_between(*t, now) : 0;
}

// Docker's MOUNTS (a volume's name, else the source) and LOCAL VOLUMES (local-driver ones).
std::pair<std::string, int> mounts_text(const core::state::ContainerConfig& c, bool no_trunc) {
  std::string out;
  int local = 0;
  for (const auto& m : volumes::inspect_mounts(c)) {
    std::string name = m.value("Name", "");
    if (name.empty()) name = m.value("Source", "");
    out += (out.empty() ? "" : ",") + (no_trunc ? name : ellipsis(name, 15));
    local += m.value("Driver", "") == "local";
  }
  return {out, local};
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

// Docker's NETWORKS: the networks a bridged container is on, comma-separated; "host" or
// "none" for those modes; nothing when it shares another container's.
std::string networks_text(const core::state::ContainerConfig& c) {
  const network::ContainerNetworking n = network::networking_from_extensions(c.extensions);
  if (n.is_container()) return "";
  if (!n.uses_bridges()) return n.mode;
  std::string out;
  for (const auto& e : n.endpoints) out += (out.empty() ? "" : ",") + e.network;
  return out;
}

// Docker's Health.String(): "health: starting", else the status word.
std::string health_text(const core::state::Health& h) {
  return h.status == core::state::kHealthStarting ? "health: starting" : h.status;
}

}  // namespace

std::string status_text(const core::state::Container& c, const timespec& now) {
  switch (c.state.status) {
    case Status::kRunning:
      return "Up " + berth::human_duration(since(c.state.started_at, now)) +
             (c.state.paused   ? " (Paused)"
              : c.state.health ? " (" + health_text(*c.state.health) + ")"
                               : "");
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

std::string running_for(const core::state::Container& c, const timespec& now) {
  return berth::human_duration(since(c.config.created, now)) + " ago";
}

std::string command_text(const core::state::ContainerConfig& c, bool no_trunc) {
  std::string cmd = c.path;
  for (const auto& a : c.args) cmd += " " + a;
  if (!no_trunc) cmd = ellipsis(cmd, 20);
  // Go's strconv.Quote, as Docker prints it.
  std::string quoted = "\"";
  for (char ch : cmd) {
    if (ch == '"' || ch == '\\') quoted += '\\';
    quoted += ch;
  }
  return quoted + "\"";
}

Row ps_row(const core::state::Container& c, const timespec& now, bool no_trunc) {
  namespace lc = engine::lifecycle;
  const auto [mounts, local_volumes] = mounts_text(c.config, no_trunc);
  json fields = {{"Command", command_text(c.config, no_trunc)},
                 {"CreatedAt", created_at(c.config.created)},
                 {"ID", no_trunc ? c.id() : c.id().substr(0, 12)},
                 {"Image", c.config.image},
                 {"Labels", labels_text(c.config.labels)},
                 {"LocalVolumes", std::to_string(local_volumes)},
                 {"Mounts", mounts},
                 {"Names", c.config.name},
                 {"Networks", networks_text(c.config)},
                 {"Ports", ports_text(lc::container_ports(c.config), c.running())},
                 {"RunningFor", running_for(c, now)},
                 {"Size", "0B"},
                 {"State", core::state::docker_status(c.state)},
                 {"Status", status_text(c, now)}};
  return {std::move(fields), c.config.labels};
}

const Columns& ps_columns() {
  static const Columns k{
      {{"ID", "CONTAINER ID"},
       {"Names", "NAMES"},
       {"Image", "IMAGE"},
       {"Command", "COMMAND"},
       {"CreatedAt", "CREATED AT"},
       {"RunningFor", "CREATED"},
       {"Ports", "PORTS"},
       {"State", "STATE"},
       {"Status", "STATUS"},
       {"Size", "SIZE"},
       {"Labels", "LABELS"},
       {"Mounts", "MOUNTS"},
       {"LocalVolumes", "LOCAL VOLUMES"},
       {"Networks", "NETWORKS"}},
      "table {{.ID}}\\t{{.Image}}\\t{{.Command}}\\t{{.RunningFor}}\\t{{.Status}}\\t{{.Ports}}\\t{{."
      "Names}}"};
  return k;
}

}  // namespace berth::cli::format
