// A container's published ports: `-p`/`-P` resolved at create into the record
// config.json extensions "ports" (network/port_spec.h, host ports chosen then, so `inspect`,
// `ps` and `port` show them and a restart keeps them), the start-time conflict check, and
// Docker's data views of them (HostConfig.PortBindings, NetworkSettings.Ports; the PORTS
// column and the `port` command's lines are cli/format/ports.h). The views are pure and
// unit-tested.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/paths.h"
#include "core/state/container.h"
#include "network/cidr.h"
#include "network/port_proxy.h"
#include "network/port_spec.h"
#include "request/container_request.h"

namespace berth::engine::lifecycle {

// The "ports" record for a new container: the request's bindings, -P's from the image config's
// ExposedPorts, and host ports chosen for those left open among the ones no other container's
// record holds and nothing on the host is bound to. Empty array when nothing is published.
nlohmann::json resolve_ports(const Paths& paths, const request::Publishing& o,
                             const nlohmann::json& image_config);

// The bindings stored in a container record (empty when none).
std::vector<network::PortBinding> container_ports(const core::state::ContainerConfig& c);

// For container start, before the firewall rules: throws Error "Bind for 0.0.0.0:18080
// failed: port is already allocated" when a running container other than `c` publishes one
// of its host ports, or "... address already in use" when a host socket holds it (exit 125).
void check_ports_free(const Paths& paths, const core::state::ContainerConfig& c);

// Container start, once the container has `ip` on its bridge: DNAT rules for its ports
// (network/firewall), after deleting the rules of containers no longer running (left by a
// crash). No-op without ports, so libnftables is loaded only when something is published.
// Where nftables is unavailable (or BERTH_USERLAND_PROXY=1) the ports are bound by a
// berth-proxy process instead, returned here: attach() it to the container's monitor once that
// runs (network/port_proxy.h). Throws Error (125) when a port cannot be bound.
std::optional<network::PortProxy> publish_ports(const Paths& paths,
                                                const core::state::ContainerConfig& c,
                                                network::Ipv4Address ip);
// Container stop, exit or rm: deletes its DNAT rules. No-op without ports.
void unpublish_ports(const core::state::ContainerConfig& c);

// HostConfig.PortBindings: {"80/tcp": [{"HostIp": "", "HostPort": "18080"}]}.
nlohmann::ordered_json port_bindings_json(const std::vector<network::PortBinding>& b);
// NetworkSettings.Ports of a running container: {"80/tcp": [{"HostIp": "0.0.0.0",
// "HostPort": "18080"}]}; {} when not running.
nlohmann::ordered_json ports_json(const std::vector<network::PortBinding>& b, bool running);
// Docker's names for a binding: "80/tcp", and its host side "0.0.0.0:18080" ("[::1]:80").
std::string port_key(const network::PortBinding& b);
std::string port_endpoint(const network::PortBinding& b);
// Bindings in Docker's display order: by container port, protocol, then address.
std::vector<network::PortBinding> sorted_ports(std::vector<network::PortBinding> b);

}  // namespace berth::engine::lifecycle
