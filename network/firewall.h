// berth's nftables firewall (ARCHITECTURE.md §5): masquerade and isolation per network, DNAT
// per published port, in the one table `ip berth` of the calling process's network namespace.
// Every public call is one nft transaction: the rules the call owns (by comment tag, see
// firewall_rules.h) are deleted and re-added in the same batch, so each call is idempotent,
// safe to repeat after a crash, and leaves the old rules when it fails.
//
// Who calls it (engine/lifecycle):
//   network create / rm          add_network() after the bridge is up / remove_network()
//   container start              add_container_ports() once the veth has its address
//   container stop / exit / rm   remove_container()
//   container start              remove_containers(this root's containers that do not run)
#pragma once

#include <set>
#include <string>
#include <vector>

#include "network/firewall_rules.h"
#include "network/nft_lib.h"

namespace berth::network {

class Firewall {
 public:
  // Loads libnftables (throws Error when it is missing: see nft_available()).
  Firewall();

  // Masquerade (unless internal), forward isolation, hairpin for `n`; sets
  // net.ipv4.ip_forward=1 and route_localnet=1 on the bridge (so 127.0.0.1:PORT reaches
  // containers). The bridge must exist. Throws Error with nft's message.
  void add_network(const NetworkRules& n);
  // Deletes the network's rules; no error when there are none (or no table).
  void remove_network(const std::string& bridge);

  // DNAT for every binding (host ports already chosen) to `ip`, from remote clients, the
  // host's own addresses and 127.0.0.1. Replaces the container's earlier rules, if any.
  void add_container_ports(const std::string& container_id, Ipv4Address ip,
                           const std::vector<PortBinding>& bindings);
  // Deletes the container's rules; no error when there are none.
  void remove_container(const std::string& container_id);
  // Deletes the rules of every container whose id is not in `live` (records lost to a crash).
  // Only where the caller knows every container that may have rules (a private namespace):
  // the table of the host's namespace is shared by every state root.
  void prune_containers(const std::set<std::string>& live);
  // Deletes the rules of the containers in `ids`, one transaction; none is not an error.
  void remove_containers(const std::set<std::string>& ids);

  // `nft list table ip berth` as text ("" when the table does not exist): tests and debugging.
  std::string listing();

 private:
  nlohmann::json listing_json();
  // Runs `deletes + adds` as one transaction, retrying once with a fresh listing if a
  // concurrent berth deleted one of the rules first.
  void replace(const std::function<bool(const std::string&)>& owned, const std::string& adds);

  Nft nft_;
};

}  // namespace berth::network
