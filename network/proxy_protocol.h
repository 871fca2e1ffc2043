// How berth starts `berth-proxy`, the userland port proxy (ARCHITECTURE.md §5, used where
// nftables is unavailable; docs/DESIGN-NOTES.md §12): its argv, its fds and what it answers.
// Shared by the CLI side (port_proxy.h) and the program (proxy/berth_proxy.cpp); header-only
// so that the small static proxy links nothing of berth_network but the proxy itself.
//
//   argv   berth-proxy BASE CONTAINER_IP BINDING...   BASE: <runroot>/proxy/<container id>;
//          the proxy holds an flock on BASE.lock while it runs and writes its pid to BASE.pid.
//          BINDING: PROTO/HOSTPORT/CONTAINERPORT/HOSTIP (HOSTIP last: it may hold ':').
//   fd 3   status: "ok\n" once every port is bound, or "error MESSAGE\n"; then closed.
//   fd 4   control: the CLI writes the pid of the container's monitor and closes it. The proxy
//          serves until that process ends (or SIGTERM); end of file without a pid: it exits.
#pragma once

#include <charconv>
#include <optional>
#include <string>
#include <string_view>

#include "network/port_spec.h"

namespace berth::network {

inline constexpr const char* kProxyBinary = "berth-proxy";
inline constexpr int kProxyStatusFd = 3;
inline constexpr int kProxyControlFd = 4;

inline std::string encode_proxy_binding(const PortBinding& b) {
  return b.proto + "/" + std::to_string(b.host_port) + "/" + std::to_string(b.container_port) +
         "/" + b.host_ip;
}

inline std::optional<PortBinding> decode_proxy_binding(std::string_view s) {
  PortBinding b;
  size_t a = s.find('/');
  size_t c = a == std::string_view::npos ? a : s.find('/', a + 1);
  size_t d = c == std::string_view::npos ? c : s.find('/', c + 1);
  if (d == std::string_view::npos) return std::nullopt;
  auto number = [](std::string_view t, uint16_t& out) {
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), out);
    return ec == std::errc() && end == t.data() + t.size() && out != 0;
  };
  b.proto = std::string(s.substr(0, a));
  if (!number(s.substr(a + 1, c - a - 1), b.host_port) ||
      !number(s.substr(c + 1, d - c - 1), b.container_port))
    return std::nullopt;
  b.host_ip = std::string(s.substr(d + 1));
  return b;
}

}  // namespace berth::network
