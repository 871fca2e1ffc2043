// `create` (and the first half of `run`): resolves the image and the flags into a container
// record (state/container.h) plus the generated /etc/hostname, /etc/hosts, /etc/resolv.conf
// in the container's directory. Nothing runs yet; start_container() does that.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/paths.h"
#include "core/state/container.h"
#include "engine/lifecycle/container_ports.h"
#include "engine/lifecycle/harden_options.h"
#include "engine/lifecycle/supervision_config.h"
#include "network/container_network.h"
#include "volumes/mount_options.h"

namespace berth::engine::lifecycle {

struct CreateOptions {
  std::string image;
  std::vector<std::string> args;          // after IMAGE
  std::optional<std::string> entrypoint;  // --entrypoint ("" clears the image's)
  std::string name;                       // --name ("" = random)
  std::vector<std::string> env;           // -e, in order
  std::vector<std::string> env_files;     // --env-file, in order (read before -e)
  std::optional<std::string> workdir;     // -w
  std::optional<std::string> user;        // -u
  std::string hostname;                   // --hostname ("" = the short ID)
  std::vector<std::string> labels;        // -l K=V
  bool tty = false;                       // -t
  bool open_stdin = false;                // -i
  bool auto_remove = false;               // --rm
  network::NetworkRequest network;        // --network, --network-alias, --ip, --dns, ...
  PortOptions ports;                      // -p, -P
  volumes::MountOptions mounts;           // -v, --mount, --tmpfs, --volumes-from
  HardenFlags harden;                     // caps, seccomp, limits, ... (harden_options.h)
  SupervisionOptions supervision;         // --restart, --init
};

// Throws NotFound for an unknown image, Error (125) for bad flags or a name in use.
core::state::Container create_container(const Paths& paths, const CreateOptions& opts);

}  // namespace berth::engine::lifecycle
