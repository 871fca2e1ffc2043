#include "engine/lifecycle/container_ports.h"

#include <unistd.h>

#include <algorithm>
#include <set>
#include <tuple>

#include "common/error.h"
#include "core/state/container_store.h"
#include "network/firewall.h"

namespace berth::engine::lifecycle {

using network::PortBinding;

namespace {

std::string shown_ip(const PortBinding& b) {
  return b.host_ip.empty() ? "0.0.0.0" : b.host_ip;
}

std::vector<PortBinding> held_by_others(const Paths& paths, const std::string& self,
                                        bool running_only) {
  std::vector<PortBinding> out;
  for (const auto& c : core::state::ContainerStore(paths).list()) {
    if (c.id() == self || (running_only && !c.running())) continue;
    auto b = container_ports(c.config);
    out.insert(out.end(), b.begin(), b.end());
  }
  return out;
}

// Running containers, plus `self` (about to start) unless empty.
std::set<std::string> running_ids(const Paths& paths, const std::string& self) {
  std::set<std::string> running;
  if (!self.empty()) running.insert(self);
  for (const auto& other : core::state::ContainerStore(paths).list())
    if (other.running()) running.insert(other.id());
  return running;
}

// This root's containers that do not run, but `self`.
std::set<std::string> stopped_ids(const Paths& paths, const std::string& self) {
  std::set<std::string> stopped;
  for (const auto& other : core::state::ContainerStore(paths).list())
    if (!other.running() && other.id() != self) stopped.insert(other.id());
  return stopped;
}

}  // namespace

nlohmann::json resolve_ports(const Paths& paths, const request::Publishing& o,
                             const nlohmann::json& image_config) {
  std::vector<PortBinding> b = o.ports;
  if (o.publish_all) {
    auto exposed = image_config.is_object() ? image_config.value("ExposedPorts", nlohmann::json())
                                            : nlohmann::json();
    auto all = network::publish_all(exposed, b);
    b.insert(b.end(), all.begin(), all.end());
  }
  bool choose = std::any_of(b.begin(), b.end(), [](const PortBinding& p) {
    return p.host_port == 0 || p.host_port_end != 0;
  });
  if (choose) {
    network::assign_host_ports(b, held_by_others(paths, "", false), network::ephemeral_port_range(),
                               network::probe_host_port,
                               static_cast<uint32_t>(::getpid()) * 2654435761u);
  }
  return network::to_json(b);
}

std::vector<PortBinding> container_ports(const core::state::ContainerConfig& c) {
  return network::published_ports(c.extensions);
}

void check_ports_free(const Paths& paths, const core::state::ContainerConfig& c) {
  auto mine = container_ports(c);
  if (mine.empty()) return;
  if (const PortBinding* p = network::find_conflict(mine, held_by_others(paths, c.id, true)))
    throw Error(network::conflict_message(*p), 125);
  for (const auto& p : mine) {
    if (network::probe_host_port(p)) continue;
    // The userland proxy of a container that has just exited may still hold the port until
    // its monitor's teardown stops it: stop it now instead of failing.
    // (Its own too: a container that is not running has no proxy to keep.)
    if (network::stop_stale_port_proxies(paths, running_ids(paths, "")) &&
        network::probe_host_port(p))
      continue;
    throw Error("Bind for " + port_endpoint(p) + " failed: address already in use", 125);
  }
}

std::optional<network::PortProxy> publish_ports(const Paths& paths,
                                                const core::state::ContainerConfig& c,
                                                network::Ipv4Address ip) {
  auto mine = container_ports(c);
  if (mine.empty()) return std::nullopt;
  if (network::userland_proxy_wanted()) return network::PortProxy::start(paths, c.id, ip, mine);
  network::Firewall fw;
  // Rules of a container of this root that does not run are left over from a teardown that
  // failed. Only this root's: the table is the host's, and a container of another root is not
  // in this store (taking "not running here" for stale deleted their rules).
  if (auto stopped = stopped_ids(paths, c.id); !stopped.empty()) fw.remove_containers(stopped);
  fw.add_container_ports(c.id, ip, mine);
  return std::nullopt;
}

void unpublish_ports(const core::state::ContainerConfig& c) {
  if (container_ports(c).empty()) return;
  network::Firewall().remove_container(c.id);
}

nlohmann::ordered_json port_bindings_json(const std::vector<PortBinding>& b) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  for (const auto& p : sorted_ports(b))
    out[port_key(p)].push_back(
        {{"HostIp", p.host_ip},
         {"HostPort", p.host_port_chosen ? "" : std::to_string(p.host_port)}});
  return out;
}

nlohmann::ordered_json ports_json(const std::vector<PortBinding>& b, bool running) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  if (!running) return out;
  for (const auto& p : sorted_ports(b))
    out[port_key(p)].push_back(
        {{"HostIp", shown_ip(p)}, {"HostPort", std::to_string(p.host_port)}});
  return out;
}

std::string port_key(const PortBinding& b) {
  return std::to_string(b.container_port) + "/" + b.proto;
}

std::string port_endpoint(const PortBinding& b) {
  std::string ip = shown_ip(b);
  if (ip.find(':') != std::string::npos) ip = "[" + ip + "]";
  return ip + ":" + std::to_string(b.host_port);
}

std::vector<PortBinding> sorted_ports(std::vector<PortBinding> b) {
  std::sort(b.begin(), b.end(), [](const PortBinding& x, const PortBinding& y) {
    return std::tie(x.container_port, x.proto, x.host_ip, x.host_port) <
           std::tie(y.container_port, y.proto, y.host_ip, y.host_port);
  });
  return b;
}

}  // namespace berth::engine::lifecycle
