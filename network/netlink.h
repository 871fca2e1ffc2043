// Links, addresses and routes over rtnetlink with libnl-route (ARCHITECTURE.md §5): no `ip`
// binary is ever run. A Netlink object is one NETLINK_ROUTE socket; it acts on the network
// namespace that was current when it was made (netns.h makes one inside a container's).
// Errors: Error("netlink OP `NAME`: libnl message").
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "network/cidr.h"

struct nl_sock;

namespace berth::network {

struct LinkInfo {
  std::string name;
  std::string kind;   // "bridge", "veth", ... ("" when the kernel names none)
  std::string alias;  // IFLA_IFALIAS
  int index = 0;
};

struct VethSpec {
  std::string host_name;  // host end, plugged into the bridge
  int bridge_index = 0;
  std::string peer_name;   // "eth0": the container's end
  std::string peer_mac;    // "02:42:..."
  int peer_netns_fd = -1;  // the container's netns
  std::string alias;       // IFLA_IFALIAS of the host end (its owner)
};

class Netlink {
 public:
  Netlink();  // throws Error
  ~Netlink();
  Netlink(const Netlink&) = delete;
  Netlink& operator=(const Netlink&) = delete;

  // The link's index, 0 when there is none.
  // The index and ifalias of an existing link; nullopt when there is none.
  std::optional<std::pair<int, std::string>> link_alias(const std::string& name);
  int index_of(const std::string& name);
  std::vector<LinkInfo> links();

  // Creates the bridge if missing, then makes sure it is up and has gateway/prefix_length.
  // Returns its index and its ifalias ("" for a new bridge: the kernel ignores IFLA_IFALIAS in
  // a creating request, so the caller marks it with set_alias() once it is complete).
  std::pair<int, std::string> ensure_bridge(const std::string& name, Ipv4Address gateway,
                                            int prefix_length);
  // Deletes the link; a missing one is not an error.
  void delete_link(const std::string& name);
  // One request: the veth pair, host end up on the bridge, peer (down: the kernel cannot open
  // it before the pair is linked, ENOTCONN) in its netns. Returns false when a link named
  // host_name exists already.
  bool add_veth(const VethSpec& spec);
  void set_up(int index);
  // Hairpin mode on the bridge port `port` (IFLA_BRPORT_MODE, as `ip link set PORT type
  // bridge_slave hairpin on`): frames may leave by the port they came in on. Over netlink, not
  // /sys/class/net/PORT/brport, which is read-only inside containers.
  void set_hairpin(const std::string& port);
  // ifalias (IFLA_IFALIAS) of an existing link.
  void set_alias(int index, const std::string& alias);
  void add_address(int index, Ipv4Address address, int prefix_length);
  void add_default_route(int index, Ipv4Address gateway);

 private:
  nl_sock* sock_ = nullptr;
};

}  // namespace berth::network
