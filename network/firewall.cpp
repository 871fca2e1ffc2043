#include "network/firewall.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "common/error.h"

namespace berth::network {

namespace {

// Writes "1" to a sysctl file of the current network namespace, unless it already holds 1.
void enable_sysctl(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) throw_errno("open", path, errno);
  char c = 0;
  bool on = ::read(fd, &c, 1) == 1 && c == '1';
  int err = 0;
  if (!on && ::pwrite(fd, "1\n", 2, 0) != 2) err = errno;
  ::close(fd);
  if (err) throw_errno("write", path, err);
}

}  // namespace

Firewall::Firewall() = default;

nlohmann::json Firewall::listing_json() {
  std::string out;
  try {
    out = nft_.run(std::string("list table ip ") + kFirewallTable, true);
  } catch (const Error&) {
    return nlohmann::json::object();  // no table yet: nothing is owned
  }
  auto j = nlohmann::json::parse(out, nullptr, false);
  if (j.is_discarded()) throw Error("nft: unreadable JSON listing of table ip berth");
  return j;
}

std::string Firewall::listing() {
  try {
    return nft_.run(std::string("list table ip ") + kFirewallTable);
  } catch (const Error&) {
    return "";
  }
}

void Firewall::replace(const std::function<bool(const std::string&)>& owned,
                       const std::string& adds) {
  for (int attempt = 0;; ++attempt) {
    std::string deletes = delete_script(listing_json(), owned);
    if (deletes.empty() && adds.empty()) return;
    try {
      nft_.run(base_script() + deletes + adds);
      return;
    } catch (const Error&) {
      if (attempt > 0 || deletes.empty()) throw;
    }
  }
}

void Firewall::add_network(const NetworkRules& n) {
  const std::string script = network_script(n);  // validates the name before any write
  if (!n.internal) {
    enable_sysctl("/proc/sys/net/ipv4/ip_forward");
    enable_sysctl("/proc/sys/net/ipv4/conf/" + n.bridge + "/route_localnet");
  }
  const std::string tag = network_tag(n.bridge);
  try {
    replace([&](const std::string& c) { return c == tag; }, script);
  } catch (const Error& e) {
    throw e.with_context("firewall rules for " + n.bridge);
  }
}

void Firewall::remove_network(const std::string& bridge) {
  const std::string tag = network_tag(bridge);
  try {
    replace([&](const std::string& c) { return c == tag; }, "");
  } catch (const Error& e) {
    throw e.with_context("remove firewall rules of " + bridge);
  }
}

void Firewall::add_container_ports(const std::string& container_id, Ipv4Address ip,
                                   const std::vector<PortBinding>& bindings) {
  const std::string script = container_script(container_id, ip, bindings);
  const std::string tag = container_tag(container_id);
  try {
    replace([&](const std::string& c) { return c == tag; }, script);
  } catch (const Error& e) {
    throw e.with_context("publish ports of " + container_id.substr(0, 12));
  }
}

void Firewall::remove_container(const std::string& container_id) {
  const std::string tag = container_tag(container_id);
  try {
    replace([&](const std::string& c) { return c == tag; }, "");
  } catch (const Error& e) {
    throw e.with_context("remove published ports of " + container_id.substr(0, 12));
  }
}

void Firewall::prune_containers(const std::set<std::string>& live) {
  const std::string prefix = container_tag("");
  replace(
      [&](const std::string& c) {
        return c.starts_with(prefix) && !live.count(c.substr(prefix.size()));
      },
      "");
}

void Firewall::remove_containers(const std::set<std::string>& ids) {
  const std::string prefix = container_tag("");
  replace(
      [&](const std::string& c) {
        return c.starts_with(prefix) && ids.count(c.substr(prefix.size()));
      },
      "");
}

}  // namespace berth::network
