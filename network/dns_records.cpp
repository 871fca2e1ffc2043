#include "network/dns_records.h"

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>

#include "common/atomic_file.h"
#include "common/error.h"

namespace berth::network {

namespace {

using nlohmann::json;

std::string lowercase(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  if (!out.empty() && out.back() == '.') out.pop_back();
  return out;
}

// Reads one table key with its path in errors; nlohmann's own messages lack the path.
class Field {
 public:
  Field(const json& j, std::string path) : j_(j), path_(std::move(path)) {}
  [[noreturn]] void fail(const std::string& why) const { throw Error(path_ + ": " + why); }
  Field at(std::string_view key) const {
    if (!j_.is_object()) fail("expected an object");
    auto it = j_.find(key);
    if (it == j_.end()) Field(json(), path_ + "." + std::string(key)).fail("missing");
    return Field(*it, path_ + "." + std::string(key));
  }
  bool has(std::string_view key) const { return j_.is_object() && j_.contains(key); }
  std::string str() const {
    if (!j_.is_string()) fail("expected a string");
    return j_.get<std::string>();
  }
  bool boolean() const {
    if (!j_.is_boolean()) fail("expected true or false");
    return j_.get<bool>();
  }
  std::vector<Field> items() const {
    if (!j_.is_array()) fail("expected an array");
    std::vector<Field> out;
    for (size_t i = 0; i < j_.size(); ++i)
      out.emplace_back(j_[i], path_ + "[" + std::to_string(i) + "]");
    return out;
  }
  std::vector<std::string> strings() const {
    std::vector<std::string> out;
    for (const auto& f : items()) out.push_back(f.str());
    return out;
  }
  template <typename F>
  auto convert(F&& fn) const {
    try {
      return fn(str());
    } catch (const Error& e) {
      fail(e.what());
    }
  }

 private:
  json j_;
  std::string path_;
};

std::vector<DnsUpstream> upstream_list(const Field& f) {
  std::vector<DnsUpstream> out;
  for (const auto& item : f.items()) out.push_back(item.convert(parse_upstream));
  return out;
}

DnsNetwork parse_network(const Field& f) {
  DnsNetwork n;
  n.name = f.at("name").str();
  if (n.name.empty()) f.at("name").fail("empty network name");
  if (f.has("subnet"))
    n.subnet = f.at("subnet").convert([](const std::string& s) { return parse_cidr(s); });
  if (f.has("gateway")) n.gateway = f.at("gateway").convert(parse_ipv4_or_throw);
  if (f.has("internal")) n.internal = f.at("internal").boolean();
  return n;
}

}  // namespace

DnsUpstream parse_upstream(std::string_view text) {
  auto fail = [&]() { return Error("invalid DNS server \"" + std::string(text) + "\""); };
  DnsUpstream u;
  if (parse_ipv6(text)) {
    u.address = text;
    return u;
  }
  std::optional<std::string_view> port;
  if (!text.empty() && text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string_view::npos) throw fail();
    u.address = text.substr(1, close - 1);
    if (!parse_ipv6(u.address)) throw fail();
    auto rest = text.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') throw fail();
    if (!rest.empty()) port = rest.substr(1);
  } else {
    auto colon = text.find(':');
    u.address = text.substr(0, colon);
    if (!parse_ipv4(u.address)) throw fail();
    if (colon != std::string_view::npos) port = text.substr(colon + 1);
  }
  if (port) {
    unsigned p = 0;
    auto [end, ec] = std::from_chars(port->data(), port->data() + port->size(), p);
    if (port->empty() || ec != std::errc{} || end != port->data() + port->size() || p == 0 ||
        p > 65535)
      throw fail();
    u.port = static_cast<uint16_t>(p);
  }
  return u;
}

DnsRecords DnsRecords::parse(std::string_view text, std::string_view origin) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::exception& e) {
    throw Error(std::string(origin) + ": " + e.what());
  }
  DnsRecords r;
  Field root(j, std::string(origin));
  if (root.has("upstreams")) r.upstreams_ = upstream_list(root.at("upstreams"));
  if (root.has("networks")) {
    for (const auto& f : root.at("networks").items()) {
      auto n = parse_network(f);
      for (const auto& other : r.networks_)
        if (other.name == n.name) f.at("name").fail("duplicate network \"" + n.name + "\"");
      r.networks_.push_back(std::move(n));
    }
  }
  if (!root.has("containers")) return r;
  for (const auto& c : root.at("containers").items()) {
    Container container{c.at("name").str(), {}};
    std::string id = c.at("id").str();
    std::vector<std::string> names = {container.name, id.substr(0, 12)};
    if (c.has("hostname")) names.push_back(c.at("hostname").str());
    if (c.has("dns")) container.dns = upstream_list(c.at("dns"));
    r.containers_.push_back(std::move(container));
    if (!c.has("endpoints")) continue;
    for (const auto& e : c.at("endpoints").items()) {
      std::string net = e.at("network").str();
      auto it = std::find_if(r.networks_.begin(), r.networks_.end(),
                             [&](const DnsNetwork& n) { return n.name == net; });
      if (it == r.networks_.end()) e.at("network").fail("unknown network \"" + net + "\"");
      Endpoint ep{r.containers_.size() - 1, static_cast<size_t>(it - r.networks_.begin()), {}, {}};
      if (e.has("ipv4")) ep.ipv4 = e.at("ipv4").convert(parse_ipv4_or_throw);
      if (e.has("ipv6"))
        ep.ipv6 = e.at("ipv6").convert([](const std::string& s) {
          auto a = parse_ipv6(s);
          if (!a) throw Error("invalid IPv6 address \"" + s + "\"");
          return *a;
        });
      auto all = names;
      if (e.has("aliases"))
        for (auto& a : e.at("aliases").strings()) all.push_back(std::move(a));
      r.add_endpoint(ep, all);
    }
  }
  return r;
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
