#include "network/dns_table.h"

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>

#include "common/atomic_file.h"
#include "common/error.h"

namespace berth::network {

namespace {

using nlohmann::json;

// Reads one table key with its path in errors; nlohmann's own messages lack the path.
class Field {
 public:
  Field(const json& j, std::string path) : j_(j), path_(std::move(path)) {}
  [[noreturn]] void fail(const std::string& why) const { throw Error(path_ + ": " + why); }
  Field at(std::string_view key) const {
    if (!j_.is_object()) fail("expected an object");
    auto it = j_.find(key);
    if (it == j_.end()) Field(j_, path_ + "." + std::string(key)).fail("missing");
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
  // fn(string) with any Error it throws prefixed by this key's path.
  template <typename F>
  auto convert(F&& fn) const {
    try {
      return fn(str());
    } catch (const Error& e) {
      fail(e.what());
    }
  }

 private:
  const json& j_;
  std::string path_;
};

std::vector<DnsUpstream> upstream_list(const Field& f) {
  std::vector<DnsUpstream> out;
  for (const auto& item : f.items()) out.push_back(item.convert(parse_upstream));
  return out;
}

Ipv6Address parse_ipv6_or_throw(const std::string& s) {
  auto a = parse_ipv6(s);
  if (!a) throw Error("invalid IPv6 address \"" + s + "\"");
  return *a;
}

DnsNetwork network_from(const Field& f) {
  DnsNetwork n;
  n.name = f.at("name").str();
  if (n.name.empty()) f.at("name").fail("empty network name");
  if (f.has("subnet"))
    n.subnet = f.at("subnet").convert([](const std::string& s) { return parse_cidr(s); });
  if (f.has("gateway")) n.gateway = f.at("gateway").convert(parse_ipv4_or_throw);
  if (f.has("internal")) n.internal = f.at("internal").boolean();
  return n;
}

DnsEndpoint endpoint_from(const Field& f, const std::vector<DnsNetwork>& networks) {
  DnsEndpoint e;
  e.network = f.at("network").str();
  if (std::none_of(networks.begin(), networks.end(),
                   [&](const DnsNetwork& n) { return n.name == e.network; }))
    f.at("network").fail("unknown network \"" + e.network + "\"");
  if (f.has("ipv4")) e.ipv4 = f.at("ipv4").convert(parse_ipv4_or_throw);
  if (f.has("ipv6")) e.ipv6 = f.at("ipv6").convert(parse_ipv6_or_throw);
  if (f.has("aliases")) e.aliases = f.at("aliases").strings();
  return e;
}

DnsContainer container_from(const Field& f, const std::vector<DnsNetwork>& networks) {
  DnsContainer c;
  c.id = f.at("id").str();
  c.name = f.at("name").str();
  if (f.has("hostname")) c.hostname = f.at("hostname").str();
  if (f.has("dns")) c.dns = upstream_list(f.at("dns"));
  if (f.has("endpoints"))
    for (const auto& e : f.at("endpoints").items())
      c.endpoints.push_back(endpoint_from(e, networks));
  return c;
}

json upstreams_json(const std::vector<DnsUpstream>& list) {
  json out = json::array();
  for (const auto& u : list) out.push_back(to_string(u));
  return out;
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

std::string to_string(const DnsUpstream& u) {
  bool v6 = u.address.find(':') != std::string::npos;
  return (v6 ? "[" + u.address + "]" : u.address) + ":" + std::to_string(u.port);
}

DnsTable parse_dns_table(std::string_view text, std::string_view origin) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::exception& e) {
    throw Error(std::string(origin) + ": " + e.what());
  }
  DnsTable t;
  Field root(j, std::string(origin));
  if (!j.is_object()) root.fail("expected an object");
  if (root.has("upstreams")) t.upstreams = upstream_list(root.at("upstreams"));
  if (root.has("networks")) {
    for (const auto& f : root.at("networks").items()) {
      auto n = network_from(f);
      for (const auto& other : t.networks)
        if (other.name == n.name) f.at("name").fail("duplicate network \"" + n.name + "\"");
      t.networks.push_back(std::move(n));
    }
  }
  if (root.has("containers"))
    for (const auto& f : root.at("containers").items())
      t.containers.push_back(container_from(f, t.networks));
  return t;
}

std::string to_json(const DnsTable& t) {
  json networks = json::array(), containers = json::array();
  for (const auto& n : t.networks) {
    json j = {{"name", n.name}, {"internal", n.internal}};
    if (n.subnet) j["subnet"] = to_string(*n.subnet);
    if (n.gateway) j["gateway"] = to_string(*n.gateway);
    networks.push_back(std::move(j));
  }
  for (const auto& c : t.containers) {
    json endpoints = json::array();
    for (const auto& e : c.endpoints) {
      json j = {{"network", e.network}, {"aliases", e.aliases}};
      if (e.ipv4) j["ipv4"] = to_string(*e.ipv4);
      if (e.ipv6) j["ipv6"] = to_string(*e.ipv6);
      endpoints.push_back(std::move(j));
    }
    containers.push_back({{"id", c.id},
                          {"name", c.name},
                          {"hostname", c.hostname},
                          {"dns", upstreams_json(c.dns)},
                          {"endpoints", std::move(endpoints)}});
  }
  json out = {{"upstreams", upstreams_json(t.upstreams)},
              {"networks", std::move(networks)},
              {"containers", std::move(containers)}};
  return out.dump(2) + "\n";
}

std::filesystem::path dns_table_path(const std::filesystem::path& runroot) {
  return runroot / "dns" / "table.json";
}

void write_dns_table(const std::filesystem::path& path, const DnsTable& table) {
  make_dirs(path.parent_path(), 0700);
  // Derived from the records (any refresh rewrites it) and kept in the runroot: no fsync.
  write_file_atomic(path, to_json(table), 0600, false);
}

}  // namespace berth::network
