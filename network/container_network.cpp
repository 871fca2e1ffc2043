#include "network/container_network.h"

#include <cctype>

#include <fcntl.h>
#include <spdlog/spdlog.h>

#include <chrono>

#include "common/atomic_file.h"
#include "common/error.h"
#include "core/state/container_store.h"
#include "network/dns_control.h"
#include "network/etc_files.h"
#include "network/firewall.h"
#include "network/ipam.h"
#include "network/netns.h"
#include "network/networks.h"
#include "network/port_proxy.h"
#include "network/veth_names.h"
#include "request/hosts.h"

namespace berth::network {

namespace fs = std::filesystem;
using core::state::ContainerConfig;
using core::state::ContainerStore;

namespace {

// Marks a container whose published ports have DNAT rules, so that its teardown loads
// libnftables only then (the record may be gone by teardown: --rm).
fs::path published_marker(const Paths& paths, const std::string& id) {
  return paths.runroot / "published" / id;
}

std::vector<Ipv4Address> addresses_in_use(const Paths& paths, const std::string& network,
                                          const std::string& except_id = "") {
  std::vector<Ipv4Address> out;
  for (const auto& c : ContainerStore(paths).configs()) {
    if (c.id == except_id) continue;
    try {
      if (const Endpoint* e = networking_from_extensions(c.extensions).find(network))
        out.push_back(e->ip);
    } catch (const Error& e) {
      spdlog::warn("container {}: {}; its addresses are not known", c.id, e.what());
    }
  }
  return out;
}

Endpoint make_endpoint(const Paths& paths, const NetworkRecord& net, const std::string& ip,
                       const std::vector<std::string>& aliases, const std::string& id = "") {
  if (net.is_default() && !ip.empty())
    throw Error("user specified IP address is supported on user defined networks only", 125);
  if (net.is_default() && !aliases.empty())
    throw Error("network-scoped alias is supported only for containers in user defined networks",
                125);
  Endpoint e;
  e.network = net.name;
  std::optional<Ipv4Address> wanted;
  if (!ip.empty()) wanted = parse_ipv4_or_throw(ip);
  e.ip = allocate_address(net.subnet, net.gateway, addresses_in_use(paths, net.name, id), wanted,
                          net.ip_range);
  e.mac = mac_for(e.ip);
  e.aliases = aliases;
  return e;
}

// "02:42:AC:11:00:02" → lower case; a unicast address of six hex pairs, or Error (125).
std::string parse_mac_or_throw(const std::string& text) {
  bool ok = text.size() == 17;
  std::string out = text;
  for (size_t i = 0; ok && i < out.size(); ++i) {
    out[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(out[i])));
    ok = i % 3 == 2 ? out[i] == ':' : std::isxdigit(static_cast<unsigned char>(out[i])) != 0;
  }
  if (!ok) throw Error("invalid MAC address: " + text, 125);
  if (std::stoi(out.substr(0, 2), nullptr, 16) & 1)
    throw Error("invalid MAC address: " + text + " is a multicast address", 125);
  return out;
}

NetworkRecord record_for(const Paths& paths, const std::string& name) {
  try {
    return network_for_use(paths, name);
  } catch (const NotFound&) {
    throw Error("network " + name + " not found", 125);
  }
}

void save_config(const Paths& paths, const ContainerConfig& c) {
  write_file_atomic(paths.container(c.id) / "config.json", core::state::to_json(c).dump(), 0600,
                    false);
}

// One veth pair for endpoint e: host end on the bridge, `ifname` inside, address and
// (when `route`) the default route through the gateway.
void attach_endpoint(const Paths& paths, Netlink& host, Netlink& inside, int netns_fd,
                     const std::string& id, const NetworkRecord& net, const Endpoint& e,
                     const std::string& ifname, bool route, bool hairpin) {
  VethSpec v;
  v.host_name = veth_name(id, net.id);
  v.bridge_index = ensure_bridge(host, paths, net);
  v.peer_name = ifname;
  v.peer_mac = e.mac;
  v.peer_netns_fd = netns_fd;
  v.alias = link_owner(paths);
  if (!host.add_veth(v)) {  // the end of a namespace the kernel has not finished destroying
    host.delete_link(v.host_name);
    host.add_veth(v);
  }
  // A container reaching its own published port comes back in through its own port: hairpin.
  // Only a container that publishes ports needs it (the DNAT back to itself is the only way a
  // packet of its leaves and re-enters by the same port), and only such a one pays for it.
  if (hairpin) host.set_hairpin(v.host_name);
  int index = inside.index_of(ifname);
  if (index == 0) throw Error("netlink: `" + ifname + "` missing in the container's namespace");
  inside.add_address(index, e.ip, net.subnet.length);
  inside.set_up(index);
  if (route) inside.add_default_route(index, net.gateway);
}

bool publishes_ports(const ContainerConfig& c) {
  return !published_ports(c.extensions).empty();
}

void delete_host_ends(const std::string& id) {
  Netlink nl;
  for (const auto& l : nl.links())
    if (l.name.starts_with(veth_prefix(id))) nl.delete_link(l.name);
}

}  // namespace

CreateLease assign_networking(const Paths& paths, const request::Networking& req,
                              ContainerConfig& c) {
  NetworkStore store(paths);
  FileLock lock = store.lock();
  ContainerNetworking n;
  for (const auto& d : req.dns)
    if (!request::is_ip_address(d))
      throw Error("invalid DNS server \"" + d + "\": not an IP address", 125);
  for (const auto& h : req.extra_hosts) parse_extra_host(h);
  n.dns = req.dns;
  n.dns_search = req.dns_search;
  n.dns_options = req.dns_options;
  n.extra_hosts = req.extra_hosts;
  std::string mode = req.mode;
  if (mode.empty()) mode = req.networks.empty() ? kDefaultNetwork : req.networks.front().name;
  if (is_special_network_name(mode)) {
    for (const auto& a : req.networks)
      if (!a.aliases.empty() || !a.ipv4_address.empty())
        throw Error("--network-alias and --ip are supported on user defined networks only", 125);
    if (req.networks.size() > 1 || (req.networks.size() == 1 && req.networks[0].name != mode))
      throw Error("container cannot be connected to network " + mode + " and to other networks",
                  125);
    n.mode = mode;
    if (n.is_container()) n.mode = "container:" + ContainerStore(paths).resolve(mode.substr(10));
  } else {
    std::vector<request::NetworkAttachment> attachments = req.networks;
    if (attachments.empty()) attachments.push_back({.name = mode});
    n.mode = record_for(paths, attachments.front().name).name;
    for (const auto& a : attachments) {
      if (!a.ipv6_address.empty())
        throw Error("network " + a.name + ": IPv6 addresses are not supported yet", 125);
      NetworkRecord net = record_for(paths, a.name);
      if (n.find(net.name))
        throw Error("container is connected to network " + net.name + " twice", 125);
      if (is_special_network_name(net.name))
        throw Error(
            "container cannot be connected to network " + net.name + " and to other networks", 125);
      Endpoint e = make_endpoint(paths, net, a.ipv4_address, a.aliases);
      if (!a.mac_address.empty()) e.mac = parse_mac_or_throw(a.mac_address);
      n.endpoints.push_back(std::move(e));
    }
  }
  store_networking(c.extensions, n);
  return CreateLease(std::move(lock));
}

void write_network_etc_files(const Paths& paths, const ContainerConfig& c, const fs::path& dir) {
  ContainerNetworking n = networking_from_extensions(c.extensions);
  EtcInputs in;
  in.hostname = c.hostname;
  in.net = &n;
  in.host_resolv = read_file_if_exists("/etc/resolv.conf").value_or("");
  if (n.is_host()) in.host_hosts = read_file_if_exists("/etc/hosts").value_or("");
  NetworkStore store(paths);
  for (const auto& e : n.endpoints) {
    if (in.addresses.empty())
      if (auto rec = store.get(e.network); rec && rec->dns) in.dns_gateway = rec->gateway;
    in.addresses.push_back(e.ip);
  }
  write_file_if_changed(dir / "hosts", make_hosts(in), 0644);
  write_file_if_changed(dir / "resolv.conf", make_resolv_conf(in), 0644);
}

void ContainerNetwork::require_unpublish() {
  needs_cleanup_ = true;
  const fs::path marker = published_marker(paths_, id_);
  make_dirs(marker.parent_path(), 0700);
  write_file_atomic(marker, "");
}

void ContainerNetwork::require_dns() {
  on_dns_ = true;
  if (!dns_starting_.held()) dns_starting_ = DnsStarting(paths_, id_);
}

void ContainerNetwork::commit() {
  committed_ = true;
  if (!on_dns_) return;
  // The monitor recorded "running" before it reported the start: the marker can go. A
  // container that exited since may have been counted by its own teardown's write while the
  // marker still stood; then the table is written again.
  dns_starting_.release();
  try {
    const DnsClock::time_point now = DnsClock::now();
    bool running = false;
    try {
      running = ContainerStore(paths_).load(id_).running();
    } catch (const NotFound&) {
      // --rm, and it has exited already: gone, so not running.
    }
    if (!running) refresh_dns_since(paths_, now);
  } catch (const Error& e) {  // it runs; only its entry may be stale until the next write
    spdlog::warn("container {}: write the DNS table: {}", id_, e.what());
  }
}

ContainerNetwork::~ContainerNetwork() {
  dns_starting_.release();  // before the teardown writes the table without it
  if (committed_ || !needs_cleanup_) return;
  try {
    teardown_container_network(paths_, id_);
  } catch (const Error& e) {
    spdlog::warn("undo the network setup of container {}: {}", id_, e.what());
  }
}

namespace {

sys::UniqueFd open_host_netns() {
  sys::UniqueFd fd(::open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC));
  if (!fd) throw_errno("open", "/proc/self/ns/net", errno);
  return fd;
}

// --network container:ID: its namespace and its /etc files.
sys::UniqueFd join_container(const Paths& paths, const std::string& mode, const fs::path& dir) {
  const std::string target = mode.substr(10);
  auto other = ContainerStore(paths).find(target);
  if (!other.running() || other.state.pid <= 0)
    throw Error("cannot join network of a non running container: " + target, 125);
  for (const char* f : {"hosts", "resolv.conf"})
    if (auto text = read_file_if_exists(paths.container(other.id()) / f))
      write_file_atomic(dir / f, *text, 0644, false);
  return open_netns_of(other.state.pid);
}

}  // namespace

namespace {

// Whether every network of n has its record and a bridge of this root carrying its owner mark
// (ensure_bridge's last step): wiring a container to them then changes nothing shared.
bool networks_complete(const Paths& paths, const ContainerNetworking& n) {
  NetworkStore store(paths);
  Netlink nl;
  const std::string owner = link_owner(paths);
  for (const auto& e : n.endpoints) {
    auto rec = store.get(e.network);
    if (!rec) return false;
    auto link = nl.link_alias(rec->bridge);
    if (!link || link->second != owner) return false;
  }
  return true;
}

ContainerNetwork setup_network_of(const Paths& paths, const ContainerConfig& c) {
  ContainerNetwork cn(paths, c.id);
  const ContainerNetworking n = networking_from_extensions(c.extensions);
  const fs::path dir = paths.container(c.id);
  if (n.is_container()) {
    cn.set_netns(join_container(paths, n.mode, dir));
    return cn;
  }
  if (!n.uses_bridges()) {
    if (n.is_host()) cn.set_netns(open_host_netns());
    write_network_etc_files(paths, c, dir);
    return cn;
  }
  {
    // Shared when every network is complete (the usual case): the starts of a compose `up`
    // then make their namespaces and veths side by side, and creates and DNS writes are not
    // held up behind them. Otherwise exclusive: a network to make (the default one) or to
    // finish (a bridge to make again after a reboot, or left without its rules by a kill).
    FileLock lock = NetworkStore(paths).lock(FileLock::Mode::kShared);
    if (!networks_complete(paths, n)) {
      lock.unlock();  // ours would block the exclusive one
      lock = NetworkStore(paths).lock();
    }
    NetnsHandle ns = create_netns();
    Netlink host;
    bool routed = false;
    for (size_t i = 0; i < n.endpoints.size(); ++i) {
      const NetworkRecord net = record_for(paths, n.endpoints[i].network);
      const bool route = !routed && !net.internal;
      if (net.dns) {
        cn.require_cleanup();
        cn.require_dns();
      }
      attach_endpoint(paths, host, *ns.inside, ns.fd.get(), c.id, net, n.endpoints[i],
                      "eth" + std::to_string(i), route, publishes_ports(c));
      routed |= route;
    }
    cn.set_netns(std::move(ns.fd));
    write_network_etc_files(paths, c, dir);
  }
  // Its name resolves from the first instruction on: a table that counts it is written before
  // the process runs — by this start, or by another that began writing after its marker stood
  // (the starts of a compose `up` share these writes; each holds the network lock ~9 ms with
  // 25 containers there).
  if (cn.on_dns()) refresh_dns_since(paths, DnsClock::now());
  return cn;
}

}  // namespace

ContainerNetwork setup_container_network(const Paths& paths, const ContainerConfig& c) {
  const auto t0 = std::chrono::steady_clock::now();
  ContainerNetwork cn = setup_network_of(paths, c);
  const auto us =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0)
          .count();
  spdlog::debug("network setup of {}: {} us", c.id.substr(0, 12), us);
  return cn;
}

core::runtime::NetworkSpec runtime_network_spec(const Paths& paths, const std::string& id,
                                                const ContainerNetwork& net) {
  core::runtime::NetworkSpec s;
  s.join_netns = net.netns_fd() >= 0;
  if (net.needs_cleanup()) {
    std::error_code ec;
    const fs::path self = fs::read_symlink("/proc/self/exe", ec);
    if (ec) throw Error("read /proc/self/exe: " + ec.message());
    s.cleanup_argv = {
        self.string(), "--root", paths.root.string(), "--runroot", paths.runroot.string(),
        "__cleanup",   id};
  }
  return s;
}

void teardown_container_network(const Paths& paths, const std::string& id) {
  NetworkStore store(paths);
  FileLock lock = store.lock();
  try {
    if (ContainerStore(paths).load(id).running()) return;  // started again meanwhile
  } catch (const NotFound&) {
    // Removed (--rm, or `rm -f`): what it left on the host still goes.
  }
  // Best effort: every step runs; one Error lists what could not be undone.
  std::string failures;
  auto step = [&failures](const char* what, const auto& undo) {
    try {
      undo();
      return true;
    } catch (const Error& e) {
      failures += (failures.empty() ? "" : "; ") + std::string(what) + ": " + e.what();
      return false;
    }
  };
  step("delete its veths", [&] { delete_host_ends(id); });
  const fs::path marker = published_marker(paths, id);
  if (fs::exists(marker)) {
    bool unpublished = step("stop its port proxy", [&] { stop_port_proxy(paths, id); });
    if (nft_available())
      unpublished &= step("remove its firewall rules", [&] { Firewall().remove_container(id); });
    // The marker stays until its ports are unpublished, so that the next teardown tries again.
    std::error_code ec;
    if (unpublished && !fs::remove(marker, ec) && ec)
      failures +=
          (failures.empty() ? "" : "; ") + errno_message("remove", marker.string(), ec.value());
  }
  step("refresh the DNS", [&] { refresh_dns(paths); });
  if (!failures.empty()) throw Error("network teardown of container " + id + ": " + failures);
}

void connect_container(const Paths& paths, const std::string& network, const std::string& ref,
                       const std::vector<std::string>& aliases, const std::string& ip) {
  NetworkStore store(paths);
  FileLock lock = store.lock();
  auto c = ContainerStore(paths).find(ref);
  ContainerNetworking n = networking_from_extensions(c.config.extensions);
  if (!n.uses_bridges())
    throw Error("container cannot be disconnected from host network or connected to host network");
  const NetworkRecord net = network_for_use(paths, store.find(network).name);
  if (n.find(net.name))
    throw Error("endpoint with name " + c.config.name + " already exists in network " + net.name);
  Endpoint e = make_endpoint(paths, net, ip, aliases, c.id());
  if (c.running() && c.state.pid > 0) {
    sys::UniqueFd ns = open_netns_of(c.state.pid);
    auto inside = netlink_in(ns.get());
    Netlink host;
    int k = 0;
    while (inside->index_of("eth" + std::to_string(k)) != 0) ++k;
    attach_endpoint(paths, host, *inside, ns.get(), c.id(), net, e, "eth" + std::to_string(k),
                    false, publishes_ports(c.config));
  }
  n.endpoints.push_back(std::move(e));
  store_networking(c.config.extensions, n);
  save_config(paths, c.config);
  if (!c.running()) write_network_etc_files(paths, c.config, paths.container(c.id()));
  if (c.running() && net.dns) refresh_dns(paths);
}

void disconnect_container(const Paths& paths, const std::string& network, const std::string& ref) {
  NetworkStore store(paths);
  FileLock lock = store.lock();
  auto c = ContainerStore(paths).find(ref);
  const NetworkRecord net = store.find(network);
  ContainerNetworking n = networking_from_extensions(c.config.extensions);
  if (!n.find(net.name))
    throw Error("container " + c.id() + " is not connected to network " + net.name);
  std::erase_if(n.endpoints, [&](const Endpoint& e) { return e.network == net.name; });
  if (n.endpoints.empty())
    n.mode = "none";
  else if (n.mode == net.name)
    n.mode = n.endpoints.front().network;
  store_networking(c.config.extensions, n);
  save_config(paths, c.config);
  if (c.running()) {
    Netlink().delete_link(veth_name(c.id(), net.id));
    if (net.dns) refresh_dns(paths);
  } else {
    write_network_etc_files(paths, c.config, paths.container(c.id()));
  }
}

std::string network_mode_of(const ContainerConfig& c) {
  try {
    return networking_from_extensions(c.extensions).mode;
  } catch (const Error&) {
    return "none";
  }
}

nlohmann::ordered_json network_settings_json(const Paths& paths, const ContainerConfig& c) {
  using json = nlohmann::ordered_json;
  ContainerNetworking n;
  try {
    n = networking_from_extensions(c.extensions);
  } catch (const Error& e) {
    spdlog::warn("container {}: {}; shown without its networks", c.id, e.what());
  }
  json nets = json::object();
  json top = {
      {"Bridge", ""},     {"SandboxID", ""}, {"HairpinMode", false}, {"Ports", json::object()},
      {"SandboxKey", ""}, {"IPAddress", ""}, {"IPPrefixLen", 0},     {"Gateway", ""},
      {"MacAddress", ""}};
  NetworkStore store(paths);
  for (const auto& e : n.endpoints) {
    auto rec = store.get(e.network);
    json aliases = e.aliases.empty() ? json(nullptr) : json(e.aliases);
    if (rec && !rec->is_default()) {
      aliases = json::array({c.id.substr(0, 12)});
      for (const auto& a : e.aliases) aliases.push_back(a);
    }
    json ep = {{"IPAMConfig", nullptr},
               {"Links", nullptr},
               {"Aliases", aliases},
               {"NetworkID", rec ? rec->id : ""},
               {"EndpointID", ""},
               {"Gateway", rec ? to_string(rec->gateway) : ""},
               {"IPAddress", to_string(e.ip)},
               {"IPPrefixLen", rec ? rec->subnet.length : 0},
               {"IPv6Gateway", ""},
               {"GlobalIPv6Address", ""},
               {"GlobalIPv6PrefixLen", 0},
               {"MacAddress", e.mac},
               {"DriverOpts", nullptr}};
    if (rec && rec->is_default())
      for (const char* k : {"IPAddress", "IPPrefixLen", "Gateway", "MacAddress"}) top[k] = ep[k];
    nets[e.network] = std::move(ep);
  }
  if (n.is_host() || n.is_none()) nets[n.mode] = json::object();
  top["Networks"] = std::move(nets);
  return top;
}

}  // namespace berth::network
