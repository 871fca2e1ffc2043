// Network records (ARCHITECTURE.md §3): one JSON file per network, <root>/networks/<name>.json,
// holding what was asked and decided at `network create` — id, subnet, gateway, bridge name,
// internal, labels, options. Addresses handed to containers are not stored here: they are
// derived from the container records (endpoints.h). Every change to networks or leases happens
// under the network lock (<runroot>/locks/network.lock), so IPAM sees a stable picture.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/file_lock.h"
#include "common/paths.h"
#include "network/cidr.h"

namespace berth::network {

// The default network's name, as Docker's.
inline constexpr const char* kDefaultNetwork = "bridge";
// Its bridge for the default root (/var/lib/berth); other roots (tests, benches) name theirs
// br-<id> like user networks so that two roots never share a bridge.
inline constexpr const char* kDefaultBridge = "berth0";

struct NetworkRecord {
  std::string id;  // 64 hex
  std::string name;
  std::string bridge;  // "br-<12 hex of id>", or kDefaultBridge
  Ipv4Prefix subnet;
  Ipv4Address gateway;
  std::optional<Ipv4Prefix> ip_range;  // --ip-range: dynamic addresses come from it
  bool internal = false;
  bool dns = true;  // embedded DNS: every user network, never the default bridge
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> options;  // -o, kept and shown, not interpreted
  std::string created;                         // RFC3339Nano

  bool is_default() const { return name == kDefaultNetwork; }
};

// Names that select no bridge network: `--network host|none|container:ID`.
bool is_special_network_name(const std::string& name);

class NetworkStore {
 public:
  explicit NetworkStore(const Paths& paths) : paths_(paths) {}

  // Every network, sorted by name. Unreadable files are skipped.
  std::vector<NetworkRecord> list() const;
  // By exact name, full id or unique id prefix. Throws NotFound "network NAME not found".
  NetworkRecord find(const std::string& ref) const;
  std::optional<NetworkRecord> get(const std::string& name) const;
  // Atomic write of <root>/networks/<name>.json.
  void save(const NetworkRecord& n) const;
  void remove(const std::string& name) const;

  // The network lock; hold it while deciding subnets or addresses and writing the result.
  // Shared: a start wiring its container to networks that exist, complete (record, bridge
  // with its rules and owner mark), which it only reads — other starts may do the same.
  FileLock lock(FileLock::Mode mode = FileLock::Mode::kExclusive) const;
  // Its file: <runroot>/locks/network.lock.
  std::filesystem::path lock_path() const;
  const Paths& paths() const { return paths_; }

 private:
  std::filesystem::path file(const std::string& name) const;
  Paths paths_;
};

}  // namespace berth::network
