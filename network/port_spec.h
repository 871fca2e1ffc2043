// Published ports (request/ports.h: the typed entry and its syntax), `-P` (every ExposedPorts
// key of the image), and the choice of host ports for the ones left open (Docker: from the
// kernel's ephemeral range). Pure apart from probe_host_port(); used by create, the firewall and
// the `port`/`ps`/`inspect` views.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "request/ports.h"

namespace berth::network {

using request::PortBinding;  // parsed by request::parse_port_spec

// -P: a binding with a host port to choose for every key ("80/tcp", "53/udp",
// "8000-8001/tcp") of the image's ExposedPorts that `explicit_ports` does not publish already.
std::vector<PortBinding> publish_all(const nlohmann::json& exposed_ports,
                                     const std::vector<PortBinding>& explicit_ports);

// True when a and b would take the same host socket: same protocol and port, and host
// addresses that overlap ("" and "0.0.0.0" overlap every IPv4 address, "::" every address).
bool same_host_socket(const PortBinding& a, const PortBinding& b);

// The first binding in `mine` that takes a host socket of one in `taken`, or nullptr.
// Error text for it: "Bind for 0.0.0.0:18080 failed: port is already allocated".
const PortBinding* find_conflict(const std::vector<PortBinding>& mine,
                                 const std::vector<PortBinding>& taken);
std::string conflict_message(const PortBinding& b);

// Fills every host_port left at 0 (or a host range) with a port from `range` (inclusive) or
// the binding's own range, skipping ports in `taken`, ports picked earlier in the same call,
// and ports for which `probe` says false. `seed` makes the start of the scan (so two
// containers created at once rarely race for the same port). Throws Error (125) when a
// range is exhausted.
using PortProbe = std::function<bool(const PortBinding&)>;
void assign_host_ports(std::vector<PortBinding>& bindings, const std::vector<PortBinding>& taken,
                       std::pair<uint16_t, uint16_t> range, const PortProbe& probe, uint32_t seed);

// The kernel's ephemeral range (/proc/sys/net/ipv4/ip_local_port_range), 32768-60999 when
// it cannot be read.
std::pair<uint16_t, uint16_t> ephemeral_port_range();

// Binds (with SO_REUSEADDR, like a listener would) and closes a socket on the binding's host
// address and port: false when something on the host holds it.
bool probe_host_port(const PortBinding& b);

// The record kept in config.json extensions "ports", and back (unknown keys ignored).
nlohmann::json to_json(const std::vector<PortBinding>& bindings);
std::vector<PortBinding> bindings_from_json(const nlohmann::json& j);
// A container's published ports: the "ports" entry of its record's extensions (none when
// the entry is missing).
std::vector<PortBinding> published_ports(const nlohmann::json& extensions);

}  // namespace berth::network
