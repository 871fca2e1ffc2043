#include "network/firewall_rules.h"

#include <algorithm>
#include <cctype>

#include "common/error.h"

namespace berth::network {

namespace {

const std::string kNetTag = "berth net ";
const std::string kCtrTag = "berth ctr ";

// Interface names are at most 15 bytes; berth's are [A-Za-z0-9_.-], which never need escaping
// inside nft's double quotes. Anything else is refused rather than quoted.
std::string quoted_ifname(const std::string& name) {
  bool ok = !name.empty() && name.size() <= 15;
  for (char c : name)
    ok &= std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
  if (!ok) throw Error("firewall: invalid bridge name \"" + name + "\"");
  return "\"" + name + "\"";
}

std::string rule(const std::string& chain, const std::string& body, const std::string& tag) {
  return std::string("add rule ip ") + kFirewallTable + " " + chain + " " + body + " comment \"" +
         tag + "\"\n";
}

}  // namespace

std::string network_tag(const std::string& bridge) {
  return kNetTag + bridge;
}

std::string container_tag(const std::string& id) {
  return kCtrTag + id;
}

std::string base_script() {
  const std::string t = std::string("ip ") + kFirewallTable;
  return "add table " + t + "\n" + "add chain " + t +
         " raw_prerouting { type filter hook prerouting priority raw; policy accept; }\n" +
         "add chain " + t +
         " prerouting { type nat hook prerouting priority dstnat; policy accept; }\n" +
         "add chain " + t + " output { type nat hook output priority -100; policy accept; }\n" +
         "add chain " + t +
         " postrouting { type nat hook postrouting priority srcnat; policy accept; }\n" +
         "add chain " + t +
         " isolation { type filter hook forward priority filter - 10; policy accept; }\n" +
         "add chain " + t +
         " forward { type filter hook forward priority filter; policy accept; }\n";
}

std::string network_script(const NetworkRules& n) {
  const std::string br = quoted_ifname(n.bridge);
  const std::string tag = network_tag(n.bridge);
  const std::string subnet = to_string(n.subnet);
  // route_localnet (set on the bridge for the output DNAT of 127.0.0.1) lets 127.0.0.0/8 be
  // routed, and prerouting DNAT rewrites a published 127.0.0.1 port before any martian check:
  // without this, any neighbour on any link could reach ports published on 127.0.0.1
  // (CVE-2020-8558). Locally generated traffic comes in through lo. One copy per network, so
  // it lives exactly as long as some network's rules do.
  std::string s = rule("raw_prerouting", "iifname != \"lo\" ip daddr 127.0.0.0/8 drop", tag);
  if (n.internal) {
    s += rule("isolation", "iifname " + br + " oifname != " + br + " drop", tag);
    s += rule("isolation", "oifname " + br + " iifname != " + br + " drop", tag);
    return s;
  }
  s += rule("forward", "oifname " + br + " ct state established,related accept", tag);
  s += rule("forward", "oifname " + br + " ct status dnat accept", tag);
  s += rule("forward", "oifname " + br + " iifname != " + br + " drop", tag);
  s += rule("postrouting", "ip saddr " + subnet + " oifname != " + br + " masquerade", tag);
  s += rule("postrouting", "oifname " + br + " ip saddr 127.0.0.0/8 masquerade", tag);
  s += rule("postrouting", "oifname " + br + " ip saddr " + subnet + " ct status dnat masquerade",
            tag);
  return s;
}

std::string container_script(const std::string& id, Ipv4Address ip,
                             const std::vector<PortBinding>& bindings) {
  const std::string tag = container_tag(id);
  std::string s;
  for (const auto& b : bindings) {
    if (b.host_ip.find(':') != std::string::npos)
      throw Error("publish " + b.host_ip + " port " + std::to_string(b.host_port) +
                  ": IPv6 host addresses are not supported with nftables");
    if (b.host_port == 0)
      throw Error("firewall: host port for " + std::to_string(b.container_port) + "/" + b.proto +
                  " not chosen");
    std::string match = b.host_ip.empty() || b.host_ip == "0.0.0.0" ? "fib daddr type local"
                                                                    : "ip daddr " + b.host_ip;
    std::string body = match + " " + b.proto + " dport " + std::to_string(b.host_port) +
                       " dnat to " + to_string(ip) + ":" + std::to_string(b.container_port);
    s += rule("prerouting", body, tag);
    s += rule("output", body, tag);
  }
  return s;
}

std::string delete_script(const nlohmann::json& listing,
                          const std::function<bool(const std::string& comment)>& match) {
  std::string s;
  if (!listing.is_object() || !listing.contains("nftables")) return s;
  for (const auto& item : listing["nftables"]) {
    if (!item.is_object() || !item.contains("rule")) continue;
    const auto& r = item["rule"];
    if (r.value("table", "") != kFirewallTable || r.value("family", "") != "ip") continue;
    if (!r.contains("comment") || !r["comment"].is_string() || !r.contains("handle")) continue;
    if (!match(r["comment"].get<std::string>())) continue;
    s += std::string("delete rule ip ") + kFirewallTable + " " + r.value("chain", "") + " handle " +
         std::to_string(r["handle"].get<long long>()) + "\n";
  }
  return s;
}

std::vector<std::string> container_ids(const nlohmann::json& listing) {
  std::vector<std::string> ids;
  if (!listing.is_object() || !listing.contains("nftables")) return ids;
  for (const auto& item : listing["nftables"]) {
    if (!item.is_object() || !item.contains("rule")) continue;
    std::string c = item["rule"].value("comment", "");
    if (!c.starts_with(kCtrTag)) continue;
    std::string id = c.substr(kCtrTag.size());
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
  }
  return ids;
}

}  // namespace berth::network
