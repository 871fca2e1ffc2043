// The nft(8) text of berth's firewall, generated as pure strings so that it is unit-tested
// with golden strings; network/firewall applies it. Everything lives in one table,
// `table ip berth`, owned by berth alone; every rule carries a comment tag naming its owner
// ("berth net <bridge>" or "berth ctr <id>"), so that removal deletes exactly those rules.
//
// Chains (base chains, created idempotently with `add chain`):
//   raw_prerouting  filter/prerouting/raw   drops 127.0.0.0/8 arriving on any link but lo
//                                           (route_localnet and DNAT must not expose ports
//                                           published on 127.0.0.1 to neighbours)
//   prerouting      nat/prerouting/dstnat   DNAT of published ports (remote clients)
//   output          nat/output/-100         DNAT of published ports (the host itself, 127.0.0.1)
//   postrouting     nat/postrouting/srcnat  masquerade: outbound, 127.0.0.1 sources, hairpin
//   isolation       filter/forward/-10      internal networks: nothing in or out
//   forward         filter/forward/filter   into a bridge only replies and published ports
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "network/cidr.h"
#include "network/port_spec.h"

namespace berth::network {

inline constexpr const char* kFirewallTable = "berth";

struct NetworkRules {
  std::string bridge;     // the Linux bridge of the network, e.g. "br-0123456789ab"
  Ipv4Prefix subnet;      // its subnet
  bool internal = false;  // --internal: no masquerade, no forwarding in or out
};

std::string network_tag(const std::string& bridge);  // "berth net <bridge>"
std::string container_tag(const std::string& id);    // "berth ctr <id>"

// `add table` and every base chain; idempotent, safe to prepend to any script.
std::string base_script();

// The rules of one network. Throws Error for a bridge name nft cannot quote.
std::string network_script(const NetworkRules& n);

// DNAT rules for a container's published ports at `ip`. Bindings must have their host port
// chosen. Throws Error for an IPv6 host address (the ip table cannot DNAT IPv6 to a
// container's IPv4 address; those need the userland proxy).
std::string container_script(const std::string& id, Ipv4Address ip,
                             const std::vector<PortBinding>& bindings);

// `delete rule ... handle N` for every rule in `listing` (the JSON of
// `nft -j -a list table ip berth`) whose comment satisfies `match`; "" when none.
std::string delete_script(const nlohmann::json& listing,
                          const std::function<bool(const std::string& comment)>& match);

// Every container id that has rules in `listing`.
std::vector<std::string> container_ids(const nlohmann::json& listing);

}  // namespace berth::network
