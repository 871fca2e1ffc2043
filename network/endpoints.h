// A container's networking as stored in its config.json (state/container.h "extensions"),
// the only place leases live — an address is "in use" while a container record names it:
//
//   "network_mode": "bridge" | "<user network>" | "host" | "none" | "container:<id>",
//   "networks": {"<name>": {"ip": "10.80.0.2", "mac": "02:42:0a:50:00:02",
//                           "aliases": ["web"]}},        (bridge modes only; insertion order)
//   "dns": ["1.1.1.1"], "extra_hosts": ["db:10.0.0.5"]
//
// Pure conversions, unit-tested.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "network/cidr.h"

namespace berth::network {

struct Endpoint {
  std::string network;
  Ipv4Address ip;
  std::string mac;
  std::vector<std::string> aliases;
};

struct ContainerNetworking {
  std::string mode = "bridge";  // see above; "" is read as "bridge"
  std::vector<Endpoint> endpoints;
  std::vector<std::string> dns;          // --dns
  std::vector<std::string> dns_search;   // --dns-search (["."]: none)
  std::vector<std::string> dns_options;  // --dns-option
  std::vector<std::string> extra_hosts;  // --add-host HOST:IP

  bool is_host() const { return mode == "host"; }
  bool is_none() const { return mode == "none"; }
  bool is_container() const { return mode.starts_with("container:"); }
  // Has an own netns with veths (bridge modes).
  bool uses_bridges() const { return !is_host() && !is_none() && !is_container(); }
  const Endpoint* find(const std::string& network) const;
};

// Reads the keys above from a config's extensions (missing keys: defaults). Throws Error for
// an address that does not parse.
ContainerNetworking networking_from_extensions(const nlohmann::json& extensions);
// Writes them into extensions, replacing the previous values.
void store_networking(nlohmann::json& extensions, const ContainerNetworking& n);

// Docker's MAC for an address: 02:42 then the four address bytes.
std::string mac_for(Ipv4Address ip);

// "HOST:IP" (request/hosts.h) for /etc/hosts. Throws Error (125) naming the entry.
std::pair<std::string, std::string> parse_extra_host(const std::string& spec);

}  // namespace berth::network
