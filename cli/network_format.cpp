#include "cli/network_format.h"

#include <algorithm>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/image_format.h"
#include "common/error.h"
#include "engine/lifecycle/format_template.h"
#include "engine/state/container_store.h"
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

std::string labels_text(const std::map<std::string, std::string>& labels) {
  std::string out;
  for (const auto& [k, v] : labels) out += (out.empty() ? "" : ",") + k + "=" + v;
  return out;
}

json ls_json(const net::NetworkRecord& n) {
  return {{"CreatedAt", n.created},
          {"Driver", net::network_driver(n)},
          {"ID", n.id.substr(0, 12)},
          {"IPv6", "false"},
          {"Internal", n.internal ? "true" : "false"},
          {"Labels", labels_text(n.labels)},
          {"Name", n.name},
          {"Scope", "local"}};
}

// host and none: no addresses, no options; their running containers with empty endpoints.
json builtin_inspect_json(const Paths& paths, const net::NetworkRecord& n) {
  json containers = json::object();
  for (const auto& c : engine::state::ContainerStore(paths).list())
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
            {"Config",
             json::array({{{"Subnet", to_string(n.subnet)}, {"Gateway", to_string(n.gateway)}}})}}},
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

void print_network_table(const std::vector<net::NetworkRecord>& rows, bool no_trunc,
                         std::ostream& out) {
  std::vector<std::array<std::string, 4>> cells = {{"NETWORK ID", "NAME", "DRIVER", "SCOPE"}};
  for (const auto& n : rows)
    cells.push_back(
        {no_trunc ? n.id : n.id.substr(0, 12), n.name, net::network_driver(n), "local"});
  size_t width[3] = {0, 0, 0};
  for (const auto& r : cells)
    for (int i = 0; i < 3; ++i) width[i] = std::max(width[i], r[i].size());
  // Docker's tabwriter: a cell is its text plus 3 spaces, and at least 10 wide.
  for (const auto& r : cells) {
    for (int i = 0; i < 3; ++i)
      out << r[i] << std::string(std::max<size_t>(width[i] + 3, 10) - r[i].size(), ' ');
    out << r[3] << "\n";
  }
}

}  // namespace

void print_networks(const Paths& paths, const NetworkListFlags& f, std::ostream& out) {
  if (!f.format.empty() && f.format != "json" && f.format != "table")
    throw Error("--format: only \"table\" and \"json\" are supported", 125);
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
  } else if (f.format == "json") {
    for (const auto& n : rows) out << ls_json(n).dump() << "\n";
  } else {
    print_network_table(rows, f.no_trunc, out);
  }
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
    for (const auto& item : all) out << engine::lifecycle::render_template(format, item) << "\n";
    return code;
  }
  out << go_json_escape(all.dump(4)) << "\n";
  return code;
}

}  // namespace berth::cli
