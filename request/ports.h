// Published ports as typed entries, and the one parser of Docker's short syntax
// `[IP:][HOSTPORT:]CONTAINERPORT[/tcp|udp|sctp]` (ranges "8000-8010:80-90", a host range for
// one container port "8000-8010:80", "127.0.0.1::80", "[::1]:80:80"), used by `-p` and by
// compose's `ports:` (docker's nat.ParsePortSpec, which compose-go calls too).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace berth::request {

// One host port forwarded to one container port.
struct PortBinding {
  std::string host_ip;         // "" = every IPv4 address of the host (Docker's HostIp "")
  uint16_t host_port = 0;      // 0: a port chosen at create
  uint16_t host_port_end = 0;  // "8000-8010:80": a host port from [host_port, end]
  uint16_t container_port = 0;
  std::string proto = "tcp";      // tcp, udp or sctp
  bool host_port_chosen = false;  // berth picked host_port (Docker shows HostPort "")
  bool operator==(const PortBinding&) const = default;
};

// One binding per container port of `spec`. Throws std::invalid_argument with Docker's reason
// ("invalid containerPort: abc"); the caller names the flag or the file, line and key.
std::vector<PortBinding> parse_port_spec(std::string_view spec);

}  // namespace berth::request
