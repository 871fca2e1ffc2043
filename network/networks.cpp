#include "network/networks.h"
#include <spdlog/spdlog.h>
#include <algorithm>
#include <cstdio>
#include <regex>
#include <set>

#include "common/error.h"
#include "common/random_id.h"
#include "common/timestamps.h"
#include "core/state/container_store.h"
#include "network/dns_control.h"
#include "network/endpoints.h"
#include "network/firewall.h"
#include "network/host_info.h"
#include "network/ipam.h"

namespace berth::network {

namespace {

std::pair<std::string, std::string> split_kv(const std::string& kv, const char* flag) {
  size_t eq = kv.find('=');
  if (kv.empty() || eq == 0) throw Error(std::string("invalid ") + flag + " \"" + kv + "\"", 125);
  if (eq == std::string::npos) return {kv, ""};
  return {kv.substr(0, eq), kv.substr(eq + 1)};
}

void check_name(const NetworkStore& store, const std::string& name) {
  static const std::regex valid("[a-zA-Z0-9][a-zA-Z0-9_.-]*");
  if (!std::regex_match(name, valid))
    throw Error("invalid network name \"" + name + "\": only [a-zA-Z0-9][a-zA-Z0-9_.-] allowed");
  if (name == "host" || name == "none")
    throw Error("operation is not permitted on predefined " + name + " network");
  if (store.get(name)) throw Error("network with name " + name + " already exists");
}

std::string bridge_name(const Paths& paths, const NetworkRecord& n) {
  if (n.is_default() && paths.root == Paths{}.root) return kDefaultBridge;
  return "br-" + n.id.substr(0, 12);
}

NetworkRecord make_record(const Paths& paths, const NetworkStore& store,
                          const NetworkCreateOptions& o) {
  NetworkRecord n;
  n.name = o.name;
  n.id = random_hex(32);
  std::vector<Ipv4Prefix> taken;
  for (const auto& other : store.list()) taken.push_back(other.subnet);
  if (o.subnet) {
    n.subnet = parse_cidr(*o.subnet);
    check_requested_subnet(n.subnet, taken);
  } else {
    SubnetConstraints avoid = read_host_constraints();
    avoid.networks = taken;
    n.subnet = allocate_subnet(avoid);
  }
  if (o.gateway) {
    n.gateway = parse_ipv4_or_throw(*o.gateway);
    check_gateway(n.subnet, n.gateway);
  } else {
    n.gateway = default_gateway(n.subnet);
  }
  if (o.ip_range) {
    if (!o.subnet) throw Error("--ip-range requires --subnet");
    const Ipv4Prefix range = parse_cidr(*o.ip_range);
    if (!n.subnet.contains(range))
      throw Error("ip range " + to_string(range) + " is not inside subnet " + to_string(n.subnet));
    n.ip_range = range;
  }
  n.internal = o.internal;
  n.dns = !n.is_default();
  for (const auto& l : o.labels)
    n.labels.insert_or_assign(split_kv(l, "label").first, split_kv(l, "label").second);
  for (const auto& l : o.options)
    n.options.insert_or_assign(split_kv(l, "option").first, split_kv(l, "option").second);
  n.created = berth::format_rfc3339_nano(berth::now());
  n.bridge = bridge_name(paths, n);
  return n;
}

}  // namespace

std::string link_owner(const Paths& paths) {
  return "berth:" + paths.root.string();
}

// A network is made in this order, so that a berth killed at any point leaves something the
// next command completes or deletes: the record (under the network lock), the bridge, its
// firewall rules, and last the bridge's ifalias naming this root, which marks it complete.
// A bridge without that alias is finished by the next ensure_bridge (every start calls it), or
// deleted with its record by `network rm`; one with the alias but no record is deleted by
// reconcile_links(). The rules are added again whenever the alias is missing (each call
// replaces the network's rules, firewall.h): a new bridge, one cut short, or one the host lost
// (a reboot empties both the links and the nftables ruleset, while the record stays).
int ensure_bridge(Netlink& nl, const Paths& paths, const NetworkRecord& n) {
  const auto [index, alias] = nl.ensure_bridge(n.bridge, n.gateway, n.subnet.length);
  const std::string owner = link_owner(paths);
  if (alias == owner) return index;
  // Masquerade (unless internal), isolation from other networks. Without nftables the network
  // still works between its containers; it has no way out (HOST-NOTES: every machine here has
  // it).
  if (nft_available()) Firewall().add_network({n.bridge, n.subnet, n.internal});
  nl.set_alias(index, owner);
  return index;
}

NetworkRecord create_network_locked(const Paths& paths, const NetworkCreateOptions& o) {
  NetworkStore store(paths);
  if (o.name != kDefaultNetwork) check_name(store, o.name);
  NetworkRecord n = make_record(paths, store, o);
  Netlink nl;
  store.save(n);
  try {
    ensure_bridge(nl, paths, n);
  } catch (...) {
    if (nft_available()) Firewall().remove_network(n.bridge);
    nl.delete_link(n.bridge);
    store.remove(n.name);
    throw;
  }
  return n;
}

NetworkRecord create_network(const Paths& paths, const NetworkCreateOptions& o) {
  NetworkStore store(paths);
  FileLock lock = store.lock();
  reconcile_links(paths);
  if (o.name == kDefaultNetwork)
    throw Error("operation is not permitted on predefined " + o.name + " network");
  return create_network_locked(paths, o);
}

NetworkRecord network_for_use(const Paths& paths, const std::string& name) {
  NetworkStore store(paths);
  if (auto n = store.get(name)) return *n;
  if (name == kDefaultNetwork) {
    NetworkCreateOptions o;
    o.name = kDefaultNetwork;
    return create_network_locked(paths, o);
  }
  return store.find(name);
}

std::vector<core::state::Container> containers_on(const Paths& paths, const std::string& network,
                                                  bool running_only) {
  std::vector<core::state::Container> out;
  for (auto& c : core::state::ContainerStore(paths).list()) {
    if (running_only && !c.running()) continue;
    try {
      if (networking_from_extensions(c.config.extensions).find(network))
        out.push_back(std::move(c));
    } catch (const Error& e) {
      spdlog::warn("container {}: {}; left out of network {}", c.id(), e.what(), network);
    }
  }
  return out;
}

namespace {

// Deletes a bridge berth made and its firewall rules (rules first, while the name is known).
void delete_bridge(Netlink& nl, const std::string& bridge) {
  if (nft_available()) Firewall().remove_network(bridge);
  nl.delete_link(bridge);
}

// The record goes first, the bridge and its rules after (the reverse of ensure_bridge's order):
// a berth killed in between leaves a bridge of this root without a record, which
// reconcile_links() deletes; never a record the next `up` would take for a network that is
// there.
void remove_network_locked(const Paths& paths, const NetworkRecord& n) {
  Netlink nl;
  // A bridge a killed create left without its owner mark gets it first: once the record is
  // gone, the mark is all reconcile_links() has to know the bridge is ours.
  if (const int index = nl.index_of(n.bridge)) nl.set_alias(index, link_owner(paths));
  NetworkStore(paths).remove(n.name);
  delete_bridge(nl, n.bridge);
}

}  // namespace

NetworkRecord builtin_network(const Paths& paths, const std::string& name) {
  // FNV-1a over root and name, four rounds of 64 bits: an id that stays the same for a root.
  std::string id;
  for (uint64_t round = 0; round < 4; ++round) {
    uint64_t h = 1469598103934665603ull ^ round;
    for (unsigned char c : paths.root.string() + "\n" + name) h = (h ^ c) * 1099511628211ull;
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    id += buf;
  }
  NetworkRecord n;
  n.id = id;
  n.name = name;
  n.dns = false;
  if (auto bridge = NetworkStore(paths).get(kDefaultNetwork)) n.created = bridge->created;
  return n;
}

std::string network_driver(const NetworkRecord& n) {
  if (n.bridge.empty() && n.name == "host") return "host";
  if (n.bridge.empty() && n.name == "none") return "null";
  return "bridge";
}

void remove_network(const Paths& paths, const std::string& ref) {
  if (ref == "host" || ref == "none")
    throw Error(ref + " is a pre-defined network and cannot be removed");
  NetworkStore store(paths);
  FileLock lock = store.lock();
  NetworkRecord n = store.find(ref);
  if (n.is_default()) throw Error("bridge is a pre-defined network and cannot be removed");
  if (!containers_on(paths, n.name, true).empty())
    throw Error("error while removing network: network " + n.name + " id " + n.id +
                " has active endpoints");
  remove_network_locked(paths, n);
  reconcile_links(paths);
}

std::vector<std::string> prune_networks(const Paths& paths,
                                        const std::vector<std::string>& label_filters) {
  NetworkStore store(paths);
  FileLock lock = store.lock();
  std::vector<std::string> removed;
  for (const auto& n : store.list()) {
    if (n.is_default() || !containers_on(paths, n.name, false).empty()) continue;
    bool match = std::all_of(label_filters.begin(), label_filters.end(), [&](const auto& f) {
      auto [k, v] = split_kv(f, "label filter");
      auto it = n.labels.find(k);
      return it != n.labels.end() && (f.find('=') == std::string::npos || it->second == v);
    });
    if (!match) continue;
    remove_network_locked(paths, n);
    removed.push_back(n.name);
  }
  reconcile_links(paths);
  return removed;
}

void reset_networks(const Paths& paths) {
  NetworkStore store(paths);
  FileLock lock = store.lock();
  stop_dns(paths);
  for (const auto& n : store.list()) remove_network_locked(paths, n);
  Netlink nl;
  for (const auto& l : nl.links())
    if (l.alias == link_owner(paths)) delete_bridge(nl, l.name);
}

void reconcile_links(const Paths& paths) {
  // Veth ends need no sweep: they live in the container's namespace, which dies with the last
  // fd to it (netns.h), whoever held it.
  try {
    std::set<std::string> bridges;
    for (const auto& n : NetworkStore(paths).list()) bridges.insert(n.bridge);
    Netlink nl;
    const std::string owner = link_owner(paths);
    for (const auto& l : nl.links())
      if (l.alias == owner && l.kind == "bridge" && !bridges.contains(l.name))
        delete_bridge(nl, l.name);
  } catch (const Error&) {
    // Best effort: the next network command tries again.
  }
}

}  // namespace berth::network
