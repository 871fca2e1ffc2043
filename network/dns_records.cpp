#include "network/dns_records.h"

#include <algorithm>

#include "common/atomic_file.h"
#include "common/error.h"

namespace berth::network {

namespace {

std::string lowercase(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  if (!out.empty() && out.back() == '.') out.pop_back();
  return out;
}

}  // namespace

DnsRecords::DnsRecords(const DnsTable& table) : upstreams_(table.upstreams) {
  for (const auto& n : table.networks) {
    for (const auto& other : networks_)
      if (other.name == n.name) throw Error("duplicate network \"" + n.name + "\"");
    networks_.push_back(n);
  }
  for (const auto& c : table.containers) {
    containers_.push_back({c.name, c.dns});
    std::vector<std::string> names = {c.name, c.id.substr(0, 12), c.hostname};
    for (const auto& e : c.endpoints) {
      auto it = std::find_if(networks_.begin(), networks_.end(),
                             [&](const DnsNetwork& n) { return n.name == e.network; });
      if (it == networks_.end())
        throw Error("container " + c.name + ": unknown network \"" + e.network + "\"");
      auto all = names;
      all.insert(all.end(), e.aliases.begin(), e.aliases.end());
      add_endpoint(
          {containers_.size() - 1, static_cast<size_t>(it - networks_.begin()), e.ipv4, e.ipv6},
          all);
    }
  }
}

DnsRecords DnsRecords::parse(std::string_view json, std::string_view origin) {
  return DnsRecords(parse_dns_table(json, origin));
}

DnsRecords DnsRecords::load(const std::filesystem::path& path) {
  return parse(read_file(path), path.string());
}

void DnsRecords::add_endpoint(Endpoint e, const std::vector<std::string>& names) {
  size_t index = endpoints_.size();
  if (e.ipv4) by_ipv4_.emplace(e.ipv4->value, index);
  endpoints_.push_back(e);
  for (const auto& n : names) {
    if (n.empty()) continue;
    auto& list = by_name_[lowercase(n)];
    if (list.empty() || list.back() != index) list.push_back(index);
  }
}

std::vector<Ipv4Address> DnsRecords::gateways() const {
  std::vector<Ipv4Address> out;
  for (const auto& n : networks_)
    if (n.gateway && std::find(out.begin(), out.end(), *n.gateway) == out.end())
      out.push_back(*n.gateway);
  return out;
}

DnsScope DnsRecords::scope_for(Ipv4Address source, std::optional<Ipv4Address> local) const {
  DnsScope scope;
  auto add = [&](size_t network) {
    if (std::find(scope.networks.begin(), scope.networks.end(), network) != scope.networks.end())
      return;
    scope.networks.push_back(network);
    if (!networks_[network].internal) scope.may_forward = true;
  };
  scope.upstreams = upstreams_;
  if (auto it = by_ipv4_.find(source.value); it != by_ipv4_.end()) {
    size_t container = endpoints_[it->second].container;
    for (const auto& e : endpoints_)
      if (e.container == container) add(e.network);
    if (!containers_[container].dns.empty()) scope.upstreams = containers_[container].dns;
    // The network the query arrived on answers first.
    auto arrival = std::find_if(scope.networks.begin(), scope.networks.end(),
                                [&](size_t n) { return local && networks_[n].gateway == local; });
    if (arrival != scope.networks.end()) std::rotate(scope.networks.begin(), arrival, arrival + 1);
  } else if (local) {
    for (size_t i = 0; i < networks_.size(); ++i)
      if (networks_[i].gateway == local) add(i);
  }
  return scope;
}

void DnsRecords::lookup_in(std::string_view key, size_t network, DnsAddresses& out,
                           bool& found) const {
  auto it = by_name_.find(std::string(key));
  if (it == by_name_.end()) return;
  for (size_t index : it->second) {
    const auto& e = endpoints_[index];
    if (e.network != network) continue;
    found = true;
    if (e.ipv4 && std::find(out.ipv4.begin(), out.ipv4.end(), *e.ipv4) == out.ipv4.end())
      out.ipv4.push_back(*e.ipv4);
    if (e.ipv6 && std::find(out.ipv6.begin(), out.ipv6.end(), *e.ipv6) == out.ipv6.end())
      out.ipv6.push_back(*e.ipv6);
  }
}

std::optional<DnsAddresses> DnsRecords::lookup(std::string_view name, const DnsScope& scope) const {
  std::string key = lowercase(name);
  DnsAddresses out;
  bool found = false;
  for (size_t n : scope.networks) {
    lookup_in(key, n, out, found);
    if (found) return out;
  }
  // NAME.NETWORK: NAME on that network only (container names may hold dots, so this is tried
  // second).
  for (size_t n : scope.networks) {
    std::string suffix = "." + lowercase(networks_[n].name);
    if (key.size() > suffix.size() && key.ends_with(suffix))
      lookup_in(std::string_view(key).substr(0, key.size() - suffix.size()), n, out, found);
  }
  if (found) return out;
  return std::nullopt;
}

std::optional<std::string> DnsRecords::lookup_ptr(std::string_view name,
                                                  const DnsScope& scope) const {
  auto addr = parse_reverse_name(name);
  if (!addr) return std::nullopt;
  auto it = by_ipv4_.find(addr->value);
  if (it == by_ipv4_.end()) return std::nullopt;
  const auto& e = endpoints_[it->second];
  if (std::find(scope.networks.begin(), scope.networks.end(), e.network) == scope.networks.end())
    return std::nullopt;
  return containers_[e.container].name;
}

bool DnsRecords::owns_reverse(std::string_view name, const DnsScope& scope) const {
  auto addr = parse_reverse_name(name);
  if (!addr) return false;
  return std::any_of(scope.networks.begin(), scope.networks.end(), [&](size_t n) {
    return networks_[n].subnet && networks_[n].subnet->contains(*addr);
  });
}

void shuffle_addresses(DnsAddresses& addrs, std::mt19937& rng) {
  std::shuffle(addrs.ipv4.begin(), addrs.ipv4.end(), rng);
  std::shuffle(addrs.ipv6.begin(), addrs.ipv6.end(), rng);
}

std::optional<Ipv4Address> parse_reverse_name(std::string_view name) {
  std::string key = lowercase(name);
  constexpr std::string_view kSuffix = ".in-addr.arpa";
  if (!key.ends_with(kSuffix)) return std::nullopt;
  std::string_view octets = std::string_view(key).substr(0, key.size() - kSuffix.size());
  // Reverse the four labels and let inet_pton judge them.
  std::vector<std::string_view> labels;
  while (true) {
    auto dot = octets.find('.');
    labels.push_back(octets.substr(0, dot));
    if (dot == std::string_view::npos) break;
    octets.remove_prefix(dot + 1);
  }
  if (labels.size() != 4) return std::nullopt;
  std::string forward;
  for (auto it = labels.rbegin(); it != labels.rend(); ++it)
    forward += std::string(*it) + (it + 1 == labels.rend() ? "" : ".");
  return parse_ipv4(forward);
}

}  // namespace berth::network
