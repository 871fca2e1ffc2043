// RuntimeSpec: everything the monitor needs to start a container, fully resolved by the CLI
// (image layers, argv, env, user ids, hostname): the monitor and the init never look at an
// image or a name. It travels as JSON on the monitor's stdin (see monitor/protocol.h).
#pragma once

#include <sys/types.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/runtime/health_config.h"
#include "core/runtime/mount_spec.h"
#include "core/runtime/process_spec.h"
#include "core/runtime/resources.h"
#include "core/runtime/security.h"
#include "core/runtime/supervision.h"

namespace berth::core::runtime {

// Networking, set up by the CLI (network/container_network.h) while the monitor starts, and
// sent to it apart from the rest of the spec (monitor/protocol.h kNetworkFd). join_netns: the
// monitor got the container's network namespace with it and the init joins it instead of
// making a fresh one. cleanup_argv: what the monitor runs (and waits for) once the container
// has exited: `berth --root R --runroot RR __cleanup ID`; empty: nothing.
struct NetworkSpec {
  bool join_netns = false;
  std::vector<std::string> cleanup_argv;
};

// The container's process (argv, env, cwd, ids, tty) is the ProcessSpec base.
struct RuntimeSpec : ProcessSpec {
  std::string id;
  std::string root;     // --root: the container's records are <root>/containers/<id>
  std::string runroot;  // --runroot: its monitor.lock is <runroot>/containers/<id>/
  std::string cgroup_root = default_cgroup_root().string();
  std::vector<std::string> lowerdirs;  // overlay lowerdirs, top-most first
  std::string hostname;
  bool open_stdin = false;  // -i: the container's stdin is a pipe the monitor feeds
  // Which of the CLI's stdio the monitor received (attached run / start -a).
  bool attach_stdin = false;
  bool attach_stdout = false;
  bool attach_stderr = false;
  bool auto_remove = false;       // --rm: the monitor deletes the container after it exits
  NetworkSpec network;            // not in to_json(RuntimeSpec): it comes apart (above)
  std::vector<MountSpec> mounts;  // volumes, binds, tmpfs (volumes/ resolves them)
  SecuritySpec security;          // capabilities, seccomp, masked paths, ... (security.h)
  ResourceSpec resources;         // cgroup limits and ulimits (resources.h)
  Supervision supervision;        // restart policy, --init
  // The healthcheck the monitor runs (defaults filled in), absent when none is enabled.
  std::optional<Healthcheck> health;
};

nlohmann::json to_json(const RuntimeSpec& s);
RuntimeSpec spec_from_json(const nlohmann::json& j);
nlohmann::json to_json(const NetworkSpec& n);
NetworkSpec network_spec_from_json(const nlohmann::json& j);

}  // namespace berth::core::runtime
