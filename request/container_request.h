// The typed request to create a container: what `run`/`create` flags (cli/) and a compose
// service (compose/) both turn into, and all the engine's create takes (engine/lifecycle/
// container_create.h). As moby's Config/HostConfig/NetworkingConfig: the engine sees no flag or
// YAML syntax. Short syntaxes are parsed once, by this library's parsers (ports.h, mounts.h,
// ulimits.h, security.h, supervision.h, env_file.h; byte sizes and durations in common/units.h).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "request/mounts.h"
#include "request/ports.h"
#include "request/resources.h"
#include "request/security.h"
#include "request/supervision.h"

namespace berth::request {

// The process: what replaces the image's defaults.
struct Process {
  // nullopt: the image's ENTRYPOINT; an empty list clears it (`--entrypoint ""`). A given
  // entrypoint also drops the image's CMD (Docker's rule).
  std::optional<std::vector<std::string>> entrypoint;
  std::optional<std::vector<std::string>> command;  // nullopt: the image's CMD
  // Resolved pairs in order (env files, then -e / environment:), applied over the image's Env,
  // later keys replacing earlier ones.
  std::vector<std::pair<std::string, std::string>> env;
  std::optional<std::string> user;         // nullopt: the image's User
  std::optional<std::string> working_dir;  // nullopt: the image's WorkingDir
  bool tty = false;
  bool open_stdin = false;
  bool operator==(const Process&) const = default;
};

// One network the container joins.
struct NetworkAttachment {
  std::string name;  // a user network, or "bridge"
  std::vector<std::string> aliases;
  std::string ipv4_address;  // "" = from the network's pool
  std::string ipv6_address;
  std::string mac_address;
  bool operator==(const NetworkAttachment&) const = default;
};

struct Networking {
  // "" (the default bridge, or `networks` when given), "none", "host", "container:NAME".
  std::string mode;
  std::vector<NetworkAttachment> networks;  // in order; the first is the primary one
  std::vector<std::string> dns, dns_search, dns_options;
  std::vector<std::string> extra_hosts;  // "name:ip"
  bool operator==(const Networking&) const = default;
};

// Published ports: explicit bindings, and -P (every port the image exposes).
struct Publishing {
  std::vector<PortBinding> ports;
  bool publish_all = false;
  bool operator==(const Publishing&) const = default;
};

// A healthcheck (Docker's HealthConfig): room for the monitor to run it.
struct Healthcheck {
  std::vector<std::string> test;  // ["CMD", ...], ["CMD-SHELL", "..."], ["NONE"]; empty: image's
  int64_t interval_ns = 0, timeout_ns = 0, start_period_ns = 0, start_interval_ns = 0;
  int retries = 0;
  bool operator==(const Healthcheck&) const = default;
};

struct ContainerRequest {
  std::string image;
  std::string name;      // "" = a random name
  std::string hostname;  // "" = the short ID
  Process process;
  std::map<std::string, std::string> labels;  // over the image's labels
  std::vector<MountRequest> mounts;
  std::vector<VolumesFrom> volumes_from;
  Publishing publish;
  Networking network;
  Security security;
  Resources resources;
  Supervision supervision;
  std::optional<Healthcheck> healthcheck;
  bool auto_remove = false;  // --rm
  bool operator==(const ContainerRequest&) const = default;
};

}  // namespace berth::request
