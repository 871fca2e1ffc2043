// A container's two records (ARCHITECTURE.md §3), one directory each:
//   <root>/containers/<id>/config.json  ContainerConfig: what was asked (written once by create)
//   <root>/containers/<id>/state.json   ContainerState: what is (written by the monitor, and by
//                                       the CLI for transitions the monitor cannot make)
// Other modules (networking, volumes, compose, the image store's "in use" check) read
// config.json; the key "image_id" ("sha256:<hex>") is part of that contract.
#pragma once

#include <sys/types.h>

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/state/health.h"

namespace berth::core::state {

// Docker's status words (State.Status): created, running, exited. "dead" marks a record
// whose files could not be read back.
enum class Status { kCreated, kRunning, kExited, kDead };
const char* status_name(Status s);
Status status_from_name(const std::string& name);
struct ContainerState;
// Docker's State.Status as `ps` and `inspect` show it: status_name, or "paused" for a frozen
// running container, "restarting" while the monitor waits to restart it.
const char* docker_status(const ContainerState& s);

struct ContainerConfig {
  std::string id;        // 64 hex
  std::string name;      // without the leading "/"
  std::string created;   // RFC3339Nano
  std::string image;     // as the user named it ("busybox")
  std::string image_id;  // "sha256:<hex>"
  // The resolved process: Path and Args of `inspect` (entrypoint + cmd).
  std::string path;
  std::vector<std::string> args;
  // Docker's Config.
  std::string hostname;
  std::string user;
  std::vector<std::string> env;  // merged image + -e/--env-file, "K=V"
  std::vector<std::string> cmd;
  std::vector<std::string> entrypoint;
  std::string working_dir;
  std::map<std::string, std::string> labels;
  bool tty = false;
  bool open_stdin = false;
  std::string stop_signal;  // "" = SIGTERM
  int stop_timeout = -1;    // -1 = 10 s
  // Docker's HostConfig.
  bool auto_remove = false;
  // Keys owned by other modules (networks, mounts, ports, restart policy, resources ...),
  // stored and returned untouched so they can grow without changing this struct.
  nlohmann::json extensions = nlohmann::json::object();
};

struct ContainerState {
  Status status = Status::kCreated;
  pid_t pid = 0;          // host pid of the container's init, 0 when not running
  pid_t monitor_pid = 0;  // host pid of its berth-monitor
  int exit_code = 0;
  std::string error;
  std::string started_at{"0001-01-01T00:00:00Z"};
  std::string finished_at{"0001-01-01T00:00:00Z"};
  bool oom_killed = false;
  int restart_count = 0;
  bool paused = false;  // frozen by `pause` (meaningful only while running)
  // The monitor waits out a restart backoff (status exited): Docker's State.Restarting.
  bool restarting = false;
  // Docker's State.Health: only for a container with a healthcheck; set to starting by the
  // monitor at each start, then moved by the results of its checks.
  std::optional<Health> health;
};

nlohmann::json to_json(const ContainerConfig& c);
ContainerConfig config_from_json(const nlohmann::json& j);
nlohmann::json to_json(const ContainerState& s);
ContainerState state_from_json(const nlohmann::json& j);

// One container as read from disk.
struct Container {
  ContainerConfig config;
  ContainerState state;
  const std::string& id() const { return config.id; }
  bool running() const { return state.status == Status::kRunning; }
};

}  // namespace berth::core::state
