// Names of host-side veth ends: "vb" + 7 hex of the container id + 6 hex of the network id
// (15 characters, IFNAMSIZ - 1). Deterministic, so a container's ends are found (and removed)
// from its id alone, even after its record is gone.
#pragma once

#include <string>

namespace berth::network {

inline constexpr size_t kVethPrefixLen = 9;

inline std::string veth_prefix(const std::string& container_id) {
  return "vb" + container_id.substr(0, 7);
}
inline std::string veth_name(const std::string& container_id, const std::string& network_id) {
  return veth_prefix(container_id) + network_id.substr(0, 6);
}

}  // namespace berth::network
