#include "cli/network_format.h"

#include <algorithm>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/format/list.h"
#include "cli/format/template.h"
#include "cli/image_format.h"
#include "common/error.h"
#include "core/state/container_store.h"
#include "network/container_network.h"
#include "network/endpoints.h"
#include "network/networks.h"

namespace berth::cli {

namespace {

namespace net = berth::network;
using json = nlohmann::ordered_json;

// bridge, host and none: Docker's predefined networks.
bool builtin(const net::NetworkRecord& n) {
  return n.is_default() || n.bridge.empty();
}

bool matches(const net::NetworkRecord& n, const std::string& filter) {
  size_t eq = filter.find('=');
  if (eq == std::string::npos) throw Error("bad format of filter (expected name=value)", 125);
  const std::string key = filter.substr(0, eq), value = filter.substr(eq + 1);
  if (key == "name") return n.name.find(value) != std::string::npos;
  if (key == "id") return n.id.starts_with(value);
  if (key == "driver") return value == net::network_driver(n);
  if (key == "type") return value == (builtin(n) ? "builtin" : "custom");
  if (key == "label") {
    size_t e2 = value.find('=');
    auto it = n.labels.find(value.substr(0, e2));
    return it != n.labels.end() && (e2 == std::string::npos || it->second == value.substr(e2 + 1));
  }
  throw Error("invalid filter '" + key + "'", 125);
}

// docker/cli's NetworkContext fields: what --format json prints and templates read.
format::Row ls_row(const net::NetworkRecord& n, bool no_trunc) {
  return {{{"CreatedAt", n.created},
           {"Driver", net::network_driver(n)},
           {"ID", no_trunc ? n.id : n.id.substr(0, 12)},
           {"IPv6", "false"},
           {"Internal", n.internal ? "true" : "false"},
           {"Labels", format::labels_text(n.labels)},
           {"Name", n.name},
           {"Scope", "local"}},
          {n.labels.begin(), n.labels.end()}};
}

const format::Columns& network_columns() {
  static const format::Columns k{{{"ID", "NETWORK ID"},
                                  {"Name", "NAME"},
                                  {"Driver", "DRIVER"},
                                  {"Scope", "SCOPE"},
                                  {"IPv6", "IPV6"},
                                  {"Internal", "INTERNAL"},
                                  {"Labels", "LABELS"},
                                  {"CreatedAt", "CREATED AT"}},
                                 "table {{.ID}}\\t{{.Name}}\\t{{.Driver}}\\t{{.Scope}}"};
  return k;
}

// host and none: no addresses, no options; their running containers with empty endpoints.
json builtin_inspect_json(const Paths& paths, const net::NetworkRecord& n) {
  json containers = json::object();
  for (const auto& c : core::state::ContainerStore(paths).list())
    if (c.running() && net::network_mode_of(c.config) == n.name)
      containers[c.id()] = {{"Name", c.config.name},
                            {"EndpointID", ""},
                            {"MacAddress", ""},
                            {"IPv4Address", ""},
                            {"IPv6Address", ""}};
  return {{"Name", n.name},
          {"Id", n.id},
          {"Created", n.created},
          {"Scope", "local"},
          {"Driver", net::network_driver(n)},
          {"EnableIPv6", false},
          {"IPAM", {{"Driver", "default"}, {"Options", nullptr}, {"Config", json::array()}}},
          {"Internal", false},
          {"Attachable", false},
          {"Ingress", false},
          {"ConfigFrom", {{"Network", ""}}},
          {"ConfigOnly", false},
          {"Containers", containers},
          {"Options", json::object()},
          {"Labels", json::object()}};
}

// IPAM.Config[0]: Subnet, Gateway and, when given, IPRange.
json ipam_config(const net::NetworkRecord& n) {
  json c = {{"Subnet", to_string(n.subnet)}, {"Gateway", to_string(n.gateway)}};
  if (n.ip_range) c["IPRange"] = to_string(*n.ip_range);
  return c;
}

json inspect_json(const Paths& paths, const net::NetworkRecord& n) {
  if (n.bridge.empty()) return builtin_inspect_json(paths, n);
  json containers = json::object();
  for (const auto& c : net::containers_on(paths, n.name, true)) {
    const auto networking = net::networking_from_extensions(c.config.extensions);
    const auto* e = networking.find(n.name);
    containers[c.id()] = {{"Name", c.config.name},
                          {"EndpointID", ""},
                          {"MacAddress", e->mac},
                          {"IPv4Address", to_string(e->ip) + "/" + std::to_string(n.subnet.length)},
                          {"IPv6Address", ""}};
  }
  json options = json::object();
  for (const auto& [k, v] : n.options) options[k] = v;
  options["com.docker.network.bridge.name"] = n.bridge;
  return {{"Name", n.name},
          {"Id", n.id},
          {"Created", n.created},
          {"Scope", "local"},
          {"Driver", "bridge"},
          {"EnableIPv6", false},
          {"IPAM",
           {{"Driver", "default"},
            {"Options", json::object()},
            {"Config", json::array({ipam_config(n)})}}},
          {"Internal", n.internal},
          {"Attachable", false},
          {"Ingress", false},
          {"ConfigFrom", {{"Network", ""}}},
          {"ConfigOnly", false},
          {"Containers", containers},
          {"Options", options},
          {"Labels", n.labels}};
}

// By name or id prefix, host and none included.
net::NetworkRecord find_network(const Paths& paths, const net::NetworkStore& store,
                                const std::string& ref) {
  for (const char* name : {"host", "none"}) {
    net::NetworkRecord b = net::builtin_network(paths, name);
    if (ref == name || (ref.size() >= 2 && b.id.starts_with(ref))) return b;
  }
  return store.find(ref);
}

}  // namespace

void print_networks(const Paths& paths, const NetworkListFlags& f, std::ostream& out) {
  {
    net::NetworkStore store(paths);
    FileLock lock = store.lock();
    net::network_for_use(paths, net::kDefaultNetwork);  // Docker always lists `bridge`
    net::reconcile_links(paths);
  }
  std::vector<net::NetworkRecord> all = net::NetworkStore(paths).list();
  for (const char* name : {"host", "none"}) all.push_back(net::builtin_network(paths, name));
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  std::vector<net::NetworkRecord> rows;
  for (auto& n : all)
    if (std::all_of(f.filters.begin(), f.filters.end(),
                    [&](const std::string& flt) { return matches(n, flt); }))
      rows.push_back(std::move(n));
  if (f.quiet) {
    for (const auto& n : rows) out << (f.no_trunc ? n.id : n.id.substr(0, 12)) << "\n";
    return;
  }
  std::vector<format::Row> list;
  for (const auto& n : rows) list.push_back(ls_row(n, f.no_trunc));
  format::print_list(out, f.format, network_columns(), list);
}

int inspect_networks(const Paths& paths, const std::vector<std::string>& refs,
                     const std::string& format, std::ostream& out) {
  int code = 0;
  json all = json::array();
  net::NetworkStore store(paths);
  for (const auto& ref : refs) {
    try {
      all.push_back(inspect_json(paths, find_network(paths, store, ref)));
    } catch (const NotFound&) {
      std::cerr << "Error: No such network: " << ref << "\n";
      code = 1;
    }
  }
  if (!format.empty()) {
    for (const auto& item : all) out << format::render_template(format, item) << "\n";
    return code;
  }
  out << go_json_escape(all.dump(4)) << "\n";
  return code;
}

}  // namespace berth::cli
