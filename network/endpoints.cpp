#include "network/endpoints.h"

#include <stdexcept>

#include "request/hosts.h"

#include <cstdio>

#include "common/error.h"

namespace berth::network {

using nlohmann::json;

const Endpoint* ContainerNetworking::find(const std::string& network) const {
  for (const auto& e : endpoints)
    if (e.network == network) return &e;
  return nullptr;
}

ContainerNetworking networking_from_extensions(const json& ext) {
  ContainerNetworking n;
  if (!ext.is_object()) return n;
  n.mode = ext.value("network_mode", std::string{});
  if (n.mode.empty()) n.mode = "bridge";
  if (ext.contains("networks") && ext["networks"].is_object()) {
    for (const auto& [name, v] : ext["networks"].items()) {
      Endpoint e;
      e.network = name;
      e.ip = parse_ipv4_or_throw(v.value("ip", std::string{}));
      e.mac = v.value("mac", mac_for(e.ip));
      e.aliases = v.value("aliases", std::vector<std::string>{});
      n.endpoints.push_back(std::move(e));
    }
  }
  n.dns = ext.value("dns", std::vector<std::string>{});
  n.dns_search = ext.value("dns_search", std::vector<std::string>{});
  n.dns_options = ext.value("dns_options", std::vector<std::string>{});
  n.extra_hosts = ext.value("extra_hosts", std::vector<std::string>{});
  return n;
}

void store_networking(json& ext, const ContainerNetworking& n) {
  if (!ext.is_object()) ext = json::object();
  ext["network_mode"] = n.mode;
  json nets = json::object();
  for (const auto& e : n.endpoints)
    nets[e.network] = {{"ip", to_string(e.ip)}, {"mac", e.mac}, {"aliases", e.aliases}};
  ext["networks"] = nets;
  auto put = [&](const char* key, const std::vector<std::string>& v) {
    if (v.empty())
      ext.erase(key);
    else
      ext[key] = v;
  };
  put("dns", n.dns);
  put("dns_search", n.dns_search);
  put("dns_options", n.dns_options);
  put("extra_hosts", n.extra_hosts);
}

std::string mac_for(Ipv4Address ip) {
  char buf[18];
  std::snprintf(buf, sizeof buf, "02:42:%02x:%02x:%02x:%02x", (ip.value >> 24) & 0xff,
                (ip.value >> 16) & 0xff, (ip.value >> 8) & 0xff, ip.value & 0xff);
  return buf;
}

std::pair<std::string, std::string> parse_extra_host(const std::string& spec) {
  try {
    return request::parse_extra_host(spec);
  } catch (const std::invalid_argument& e) {
    throw Error("invalid extra host \"" + spec + "\": " + e.what(), 125);
  }
}

}  // namespace berth::network
