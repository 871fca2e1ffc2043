// The CLI's side of the userland port proxy (ARCHITECTURE.md §5; protocol in
// proxy_protocol.h; why a program of its own: docs/DESIGN-NOTES.md §12). Where nftables is
// unavailable, or BERTH_USERLAND_PROXY=1 asks for it, a container's published ports are served
// by one small static `berth-proxy` process per container, started by the CLI at container start
// and tied to the container's monitor: it exits when the monitor does, and the network teardown
// (`berth __cleanup ID`, run by the monitor after the exit) stops it and waits until its ports
// are free. Used by engine/lifecycle/container_ports.cpp.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "common/paths.h"
#include "network/cidr.h"
#include "network/port_spec.h"
#include "sys/unique_fd.h"

namespace berth::network {

// True when published ports go through berth-proxy: the environment has BERTH_USERLAND_PROXY=1
// (tests, or a host whose nftables must not be touched), or nftables cannot be used here
// (libnftables missing, or the kernel refuses it: nft_available()).
bool userland_proxy_wanted();

class PortProxy {
 public:
  // Starts berth-proxy (next to /proc/self/exe) for container `id`, forwarding every binding to
  // `ip`, and waits until it has bound them all. Throws Error (125), e.g. "Bind for
  // 0.0.0.0:18080 failed: address already in use", leaving no proxy behind.
  static PortProxy start(const Paths& paths, const std::string& id, Ipv4Address ip,
                         const std::vector<PortBinding>& bindings);
  // Ties the proxy to the container's monitor: it serves until that process ends. Without
  // this call, destroying the object (a failed start) makes the proxy exit.
  void attach(pid_t monitor_pid);

 private:
  PortProxy(sys::UniqueFd control, std::filesystem::path base)
      : control_(std::move(control)), base_(std::move(base)) {}
  sys::UniqueFd control_;
  std::filesystem::path base_;  // <runroot>/proxy/<id>
};

// Stops container `id`'s proxy, if one runs, and returns once its ports are free. Best effort,
// idempotent; the network teardown calls it.
void stop_port_proxy(const Paths& paths, const std::string& id);
// Stops the proxies of containers not in `running` that were attached to a monitor (a proxy
// whose container has just exited and whose monitor has not yet torn it down still holds the
// ports; one not yet attached belongs to a start in progress and is left alone). True if it
// stopped any.
bool stop_stale_port_proxies(const Paths& paths, const std::set<std::string>& running);

}  // namespace berth::network
