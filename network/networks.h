// Network verbs (ARCHITECTURE.md §5): create, remove, prune, and the default `bridge` network
// made on first use. Each runs under the network lock. THE place where a network comes and
// goes: the firewall (network/firewall.h) is wired in next to the `// firewall hook` comments
// of create_network_locked() and remove_network_locked().
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/paths.h"
#include "core/state/container.h"
#include "network/netlink.h"
#include "network/network_store.h"

namespace berth::network {

struct NetworkCreateOptions {
  std::string name;
  std::optional<std::string> subnet;    // --subnet
  std::optional<std::string> gateway;   // --gateway
  std::optional<std::string> ip_range;  // --ip-range (needs --subnet)
  bool internal = false;                // --internal
  std::vector<std::string> labels;      // --label K=V
  std::vector<std::string> options;     // -o K=V
};

// Creates the record and its bridge. Throws Error for a bad or taken name, a bad subnet or
// gateway, or a netlink failure (then nothing is left behind).
NetworkRecord create_network(const Paths& paths, const NetworkCreateOptions& opts);
// Same, for a caller that holds the lock.
NetworkRecord create_network_locked(const Paths& paths, const NetworkCreateOptions& opts);

// The record of `name`; the default network is created on first use. Caller holds the lock.
NetworkRecord network_for_use(const Paths& paths, const std::string& name);

// The alias written on every link berth makes, naming the root that owns it.
std::string link_owner(const Paths& paths);
// Makes sure n's bridge exists, is up, holds the gateway and has its firewall rules (a new
// network, after a reboot, or after a berth killed while it made the bridge). Its index.
// Caller holds the network lock.
int ensure_bridge(Netlink& nl, const Paths& paths, const NetworkRecord& n);

// Docker's other predefined networks, `host` (driver "host") and `none` (driver "null"): no
// record, no bridge; shown by `network ls`/`inspect` with an id derived from the root (stable,
// distinct per root) and the default network's creation time. `name` is "host" or "none".
NetworkRecord builtin_network(const Paths& paths, const std::string& name);
// "host" and "none" → "host" and "null"; every other network → "bridge".
std::string network_driver(const NetworkRecord& n);

// Removes networks by name or id. Refused for the predefined networks (bridge, host, none)
// and for one with a running container on it (Docker's "has active endpoints"). Throws
// NotFound / Error.
void remove_network(const Paths& paths, const std::string& ref);
// Removes every user network without a container on it; returns their names.
std::vector<std::string> prune_networks(const Paths& paths,
                                        const std::vector<std::string>& label_filters = {});

// Containers whose record names the network (running ones only when running_only).
std::vector<core::state::Container> containers_on(const Paths& paths, const std::string& network,
                                                  bool running_only);

// Deletes what a berth killed halfway may have left: bridges owned by this root (link_owner)
// without a record. Best effort; run by the network verbs.
void reconcile_links(const Paths& paths);

// Removes every network of this root (the default one too), its bridges and any link it owns,
// and stops its DNS server: `berth __network-reset`, for test roots and benches that are
// about to delete their state directory. Call after the containers are gone.
void reset_networks(const Paths& paths);

}  // namespace berth::network
