// A container's networking through its life (ARCHITECTURE.md §5), called by engine/lifecycle:
//   create  assign_networking(): decides the mode and the addresses (IPAM over the leases in
//           every container record) and stores them in the new record, under the network lock.
//   start   setup_container_network(): THE place where a container's networking is set up —
//           a fresh netns with one veth per network (made in place, peer inside), addresses,
//           default route, /etc/hosts and resolv.conf, the DNS table; the netns fd goes to the
//           monitor, which holds it for the container's life.
//   exit    teardown_container_network(): THE place where it is torn down, run by
//           `berth __cleanup ID` which the monitor spawns after the container exits (and on a
//           failed start): host veth ends removed, DNS table refreshed, DNAT rules of
//           published ports deleted (engine/lifecycle/container_ports.h adds them).
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/file_lock.h"
#include "common/paths.h"
#include "core/runtime/spec.h"
#include "core/state/container.h"
#include "network/dns_control.h"
#include "network/endpoints.h"
#include "request/container_request.h"
#include "sys/unique_fd.h"

namespace berth::network {

// Holds the network lock until the container record naming the addresses is written.
class CreateLease {
 public:
  explicit CreateLease(FileLock lock) : lock_(std::move(lock)) {}
  void release() { lock_.unlock(); }

 private:
  FileLock lock_;
};

// Validates the request, allocates addresses and stores the result in config.extensions
// (endpoints.h). Keep the returned lease alive until the record is written. Throws Error (125)
// naming the flag or network.
CreateLease assign_networking(const Paths& paths, const request::Networking& req,
                              core::state::ContainerConfig& config);

// Writes <dir>/hosts and <dir>/resolv.conf for the container's networking.
void write_network_etc_files(const Paths& paths, const core::state::ContainerConfig& config,
                             const std::filesystem::path& dir);

// The networking of one start. Until commit(), destruction undoes it (veths, DNS entry).
class ContainerNetwork {
 public:
  ContainerNetwork(const Paths& paths, std::string id) : paths_(paths), id_(std::move(id)) {}
  // A moved-from object undoes nothing.
  ContainerNetwork(ContainerNetwork&& o) noexcept
      : paths_(o.paths_),
        id_(std::move(o.id_)),
        netns_(std::move(o.netns_)),
        dns_starting_(std::move(o.dns_starting_)),
        needs_cleanup_(o.needs_cleanup_),
        on_dns_(o.on_dns_),
        committed_(o.committed_) {
    o.committed_ = true;
  }
  ContainerNetwork& operator=(ContainerNetwork&&) = delete;
  ~ContainerNetwork();

  // The netns the init must join (the monitor keeps it open), -1: a fresh empty one.
  int netns_fd() const { return netns_.get(); }
  // Whether `berth __cleanup ID` must run after the container exits.
  bool needs_cleanup() const { return needs_cleanup_; }
  bool on_dns() const { return on_dns_; }
  // The container runs, recorded as such: keep what was set up. Its DNS marker goes (its
  // record counts now); when it has already exited, the table is written again without it.
  void commit();

  void set_netns(sys::UniqueFd fd) { netns_ = std::move(fd); }
  // `berth __cleanup ID` must run after the exit.
  void require_cleanup() { needs_cleanup_ = true; }
  // It has an endpoint on a network with embedded DNS: it counts as running for the table
  // from now on (call with the network lock).
  void require_dns();
  // The container's published ports get DNAT rules now: the teardown (after the exit, or this
  // object's destructor before commit()) removes them.
  void require_unpublish();

 private:
  Paths paths_;
  std::string id_;
  sys::UniqueFd netns_;
  DnsStarting dns_starting_;
  bool needs_cleanup_ = false;
  bool on_dns_ = false;
  bool committed_ = false;
};

// See the top of this file. Throws Error (e.g. "network web not found").
ContainerNetwork setup_container_network(const Paths& paths,
                                         const core::state::ContainerConfig& config);

// What the monitor must do with it (core/runtime/spec.h NetworkSpec): join net.netns_fd(),
// and run `<this berth> --root R --runroot RR __cleanup ID` after the exit when needed.
core::runtime::NetworkSpec runtime_network_spec(const Paths& paths, const std::string& id,
                                                const ContainerNetwork& net);

// Body of `berth __cleanup ID`; idempotent, best effort (the container's record may be gone):
// every step runs, then one Error "network teardown of container ID: ..." lists the failures.
void teardown_container_network(const Paths& paths, const std::string& id);

// `network connect` / `disconnect` (created, stopped or running containers).
void connect_container(const Paths& paths, const std::string& network, const std::string& ref,
                       const std::vector<std::string>& aliases, const std::string& ip);
void disconnect_container(const Paths& paths, const std::string& network, const std::string& ref);

// `inspect`: HostConfig.NetworkMode and NetworkSettings, Docker's shape.
std::string network_mode_of(const core::state::ContainerConfig& config);
nlohmann::ordered_json network_settings_json(const Paths& paths,
                                             const core::state::ContainerConfig& config);

}  // namespace berth::network
