#include "network/ipam.h"

#include <algorithm>
#include <set>

#include "common/error.h"

namespace berth::network {

namespace {

bool overlaps_any(const Ipv4Prefix& p, const std::vector<Ipv4Prefix>& list, bool skip_default) {
  return std::any_of(list.begin(), list.end(), [&](const Ipv4Prefix& q) {
    return !(skip_default && q.length == 0) && p.overlaps(q);
  });
}

bool is_free(const Ipv4Prefix& p, const SubnetConstraints& avoid) {
  if (overlaps_any(p, reserved_subnets(), false)) return false;
  if (overlaps_any(p, avoid.networks, false)) return false;
  if (overlaps_any(p, avoid.host_routes, true)) return false;
  return std::none_of(avoid.host_addresses.begin(), avoid.host_addresses.end(),
                      [&](Ipv4Address a) { return p.contains(a); });
}

// A subnet needs a network address, a gateway, one container and a broadcast address.
void check_size(const Ipv4Prefix& subnet) {
  if (subnet.length > 30)
    throw Error("subnet " + to_string(subnet) + " is too small: at most /30 is needed");
}

}  // namespace

const std::vector<SubnetPool>& default_subnet_pools() {
  static const std::vector<SubnetPool> pools = {{parse_cidr("10.80.0.0/13"), 24}};
  return pools;
}

const std::vector<Ipv4Prefix>& reserved_subnets() {
  static const std::vector<Ipv4Prefix> reserved = {
      parse_cidr("172.17.0.0/16"), parse_cidr("172.16.0.0/12"), parse_cidr("10.88.0.0/16")};
  return reserved;
}

Ipv4Prefix allocate_subnet(const SubnetConstraints& avoid, const std::vector<SubnetPool>& pools) {
  for (const auto& pool : pools) {
    if (pool.subnet_length < pool.base.length || pool.subnet_length > 30) continue;
    uint64_t step = uint64_t{1} << (32 - pool.subnet_length);
    uint64_t end = uint64_t{pool.base.network.value} + pool.base.size();
    for (uint64_t v = pool.base.network.value; v < end; v += step) {
      Ipv4Prefix candidate{Ipv4Address{static_cast<uint32_t>(v)}, pool.subnet_length};
      if (is_free(candidate, avoid)) return candidate;
    }
  }
  throw Error(
      "no free subnet left in the address pools (every one overlaps a host route or "
      "another network); use --subnet");
}

void check_requested_subnet(const Ipv4Prefix& subnet, const std::vector<Ipv4Prefix>& networks) {
  check_size(subnet);
  for (const auto& n : networks) {
    if (subnet.overlaps(n))
      throw Error("subnet " + to_string(subnet) + " overlaps subnet " + to_string(n) +
                  " of another network");
  }
}

Ipv4Address default_gateway(const Ipv4Prefix& subnet) {
  check_size(subnet);
  return Ipv4Address{subnet.network.value + 1};
}

void check_gateway(const Ipv4Prefix& subnet, Ipv4Address gateway) {
  check_size(subnet);
  if (!subnet.contains(gateway) || gateway == subnet.first() || gateway == subnet.last())
    throw Error("gateway " + to_string(gateway) + " is not a usable address of subnet " +
                to_string(subnet));
}

Ipv4Address allocate_address(const Ipv4Prefix& subnet, Ipv4Address gateway,
                             const std::vector<Ipv4Address>& in_use,
                             std::optional<Ipv4Address> requested,
                             std::optional<Ipv4Prefix> range) {
  check_size(subnet);
  std::set<Ipv4Address> taken(in_use.begin(), in_use.end());
  taken.insert(gateway);
  if (requested) {
    std::string addr = to_string(*requested);
    if (!subnet.contains(*requested) || *requested == subnet.first() || *requested == subnet.last())
      throw Error("address " + addr + " is not a usable address of subnet " + to_string(subnet));
    if (*requested == gateway) throw Error("address " + addr + " is the network's gateway");
    if (taken.count(*requested)) throw Error("address " + addr + " is already in use");
    return *requested;
  }
  // Walk the sorted set alongside the candidates: O(in_use), whatever the subnet size. The
  // subnet's own first and last addresses are never handed out, in a range or not.
  const Ipv4Prefix pool = range ? *range : subnet;
  uint32_t candidate = std::max(pool.first().value, subnet.first().value + 1);
  const uint32_t end = std::min(pool.last().value, subnet.last().value - 1);  // inclusive
  for (auto it = taken.lower_bound(Ipv4Address{candidate});
       it != taken.end() && it->value == candidate; ++it)
    ++candidate;
  if (candidate > end)
    throw Error(range ? "no free address left in ip range " + to_string(*range)
                      : "no free address left on subnet " + to_string(subnet));
  return Ipv4Address{candidate};
}

}  // namespace berth::network
