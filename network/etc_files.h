// The /etc/hosts and /etc/resolv.conf a container sees (bind-mounted by the init from its
// directory), as pure functions of its networking, unit-tested:
//   hosts: the localhost lines, --add-host entries, then "IP\tHOSTNAME" for each address
//          (Docker's layout); host mode copies the host's /etc/hosts.
//   resolv.conf: on a network with embedded DNS "nameserver GATEWAY" (the DNS process
//          forwards the rest, to --dns when given); otherwise --dns, or the host's resolvers;
//          the host's search and options lines, replaced by --dns-search / --dns-option.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "network/cidr.h"
#include "network/endpoints.h"

namespace berth::network {

struct EtcInputs {
  std::string hostname;
  std::vector<Ipv4Address> addresses;      // the container's, first network first
  std::optional<Ipv4Address> dns_gateway;  // set when its first network has embedded DNS
  const ContainerNetworking* net = nullptr;
  std::string host_hosts;   // the host's /etc/hosts (host mode)
  std::string host_resolv;  // the host's /etc/resolv.conf
};

std::string make_hosts(const EtcInputs& in);
std::string make_resolv_conf(const EtcInputs& in);

}  // namespace berth::network
