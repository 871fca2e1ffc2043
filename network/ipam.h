// IPAM: choosing a subnet for a new network and an address for a container on it
// (ARCHITECTURE.md §5). Pure functions: everything they must avoid is passed in as data
// (host routes and nameservers from host_info.h, existing networks' subnets, addresses in use
// derived from container records), so the engine holds the network lock and calls them.
//
// Default pool: 10.80.0.0/13 (10.80.0.0 - 10.87.255.255) carved into /24s, 2048 networks.
// Why there: Docker takes 172.17.0.0/16 for docker0 and 172.18-31/16 then 192.168.0.0/16 for
// user networks; Podman takes 10.88.0.0/16 for its default network and counts up from
// 10.89.0.0/24 for user networks; k3s uses 10.42/10.43, kubeadm 10.96/12 and 10.244/16. A
// network of another tool that exists but is down has no route we could see, so staying out
// of their pools, not only their live routes, is what lets berth live beside them. /24 is what
// Podman picks too: 253 containers per network, and room for many networks.
#pragma once

#include <optional>
#include <vector>

#include "network/cidr.h"

namespace berth::network {

// A range carved into subnets of subnet_length bits, handed out lowest first.
struct SubnetPool {
  Ipv4Prefix base;
  int subnet_length = 24;
};

// berth's default pools (see above).
const std::vector<SubnetPool>& default_subnet_pools();

// Other engines' default subnets; a pool subnet overlapping one of these is never chosen:
// 172.17.0.0/16 (docker0), 172.16.0.0/12 (Docker's user-network pool), 10.88.0.0/16 (Podman).
const std::vector<Ipv4Prefix>& reserved_subnets();

// What a new subnet must stay clear of.
struct SubnetConstraints {
  // Prefixes routed on the host. Default routes (length 0) are ignored: they cover everything.
  std::vector<Ipv4Prefix> host_routes;
  // Addresses that must not fall inside a new subnet: the host's nameservers and gateways.
  std::vector<Ipv4Address> host_addresses;
  // Subnets of berth's existing networks.
  std::vector<Ipv4Prefix> networks;
};

// The lowest pool subnet that overlaps no route, reserved subnet or existing network and
// contains no host address. Throws Error ("no free subnet ...; use --subnet") when all are taken.
Ipv4Prefix allocate_subnet(const SubnetConstraints& avoid,
                           const std::vector<SubnetPool>& pools = default_subnet_pools());

// Checks a user-requested subnet (`network create --subnet`): at most /30 so that it has room
// for a gateway and a container, and no overlap with an existing berth network. Host routes are
// not checked, as Docker: the user asked for it. Throws Error naming both subnets.
void check_requested_subnet(const Ipv4Prefix& subnet, const std::vector<Ipv4Prefix>& networks);

// The first usable address (.1 of a /24): the default gateway. Throws for /31 and /32.
Ipv4Address default_gateway(const Ipv4Prefix& subnet);

// Checks a user-requested gateway (`--gateway`): inside the subnet and neither its network nor
// its broadcast address. Throws Error naming both.
void check_gateway(const Ipv4Prefix& subnet, Ipv4Address gateway);

// An address for a container on `subnet`. With `requested` (`--ip`), returns it if it is a
// usable host address of the subnet, not the gateway and not in use; otherwise throws Error
// naming the address. Without, returns the lowest usable address that is neither the gateway
// nor in `in_use`; throws Error ("no free address on subnet ...") when full. Deterministic:
// the same inputs give the same address.
// `range` (--ip-range, compose's ipam ip_range): where addresses are handed out from; a
// requested address may be anywhere in the subnet, as Docker's.
Ipv4Address allocate_address(const Ipv4Prefix& subnet, Ipv4Address gateway,
                             const std::vector<Ipv4Address>& in_use,
                             std::optional<Ipv4Address> requested = std::nullopt,
                             std::optional<Ipv4Prefix> range = std::nullopt);

}  // namespace berth::network
