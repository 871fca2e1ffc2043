#include "network/netlink.h"

#include <arpa/inet.h>
#include <linux/if_link.h>
#include <net/if.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/veth.h>
#include <netlink/route/route.h>

#include "common/error.h"

namespace berth::network {

namespace {

void check_nl(int rc, const std::string& op, const std::string& name) {
  if (rc < 0) throw Error("netlink " + op + " `" + name + "`: " + nl_geterror(rc));
}

// RAII for the libnl objects used here.
struct LinkPtr {
  rtnl_link* p = nullptr;
  ~LinkPtr() {
    if (p) rtnl_link_put(p);
  }
};
struct AddrPtr {
  nl_addr* p = nullptr;
  ~AddrPtr() {
    if (p) nl_addr_put(p);
  }
};

AddrPtr ipv4_addr(Ipv4Address a, int prefix_length) {
  uint32_t be = htonl(a.value);
  AddrPtr out{nl_addr_build(AF_INET, &be, sizeof be)};
  if (!out.p) throw Error("netlink: out of memory");
  nl_addr_set_prefixlen(out.p, prefix_length);
  return out;
}

}  // namespace

Netlink::Netlink() {
  sock_ = nl_socket_alloc();
  if (!sock_) throw Error("netlink: out of memory");
  int rc = nl_connect(sock_, NETLINK_ROUTE);
  if (rc < 0) {
    nl_socket_free(sock_);
    sock_ = nullptr;
    check_nl(rc, "connect", "route");
  }
}

Netlink::~Netlink() {
  if (sock_) nl_socket_free(sock_);
}

int Netlink::index_of(const std::string& name) {
  LinkPtr link;
  if (rtnl_link_get_kernel(sock_, 0, name.c_str(), &link.p) < 0) return 0;
  return rtnl_link_get_ifindex(link.p);
}

std::optional<std::pair<int, std::string>> Netlink::link_alias(const std::string& name) {
  LinkPtr link;
  if (rtnl_link_get_kernel(sock_, 0, name.c_str(), &link.p) < 0) return std::nullopt;
  const char* alias = rtnl_link_get_ifalias(link.p);
  return std::pair<int, std::string>{rtnl_link_get_ifindex(link.p), alias ? alias : ""};
}

std::vector<LinkInfo> Netlink::links() {
  nl_cache* cache = nullptr;
  check_nl(rtnl_link_alloc_cache(sock_, AF_UNSPEC, &cache), "list", "links");
  std::vector<LinkInfo> out;
  for (nl_object* o = nl_cache_get_first(cache); o; o = nl_cache_get_next(o)) {
    auto* l = reinterpret_cast<rtnl_link*>(o);
    LinkInfo info;
    info.name = rtnl_link_get_name(l) ? rtnl_link_get_name(l) : "";
    info.kind = rtnl_link_get_type(l) ? rtnl_link_get_type(l) : "";
    info.alias = rtnl_link_get_ifalias(l) ? rtnl_link_get_ifalias(l) : "";
    info.index = rtnl_link_get_ifindex(l);
    out.push_back(std::move(info));
  }
  nl_cache_free(cache);
  return out;
}

std::pair<int, std::string> Netlink::ensure_bridge(const std::string& name, Ipv4Address gateway,
                                                   int prefix_length) {
  LinkPtr link;
  if (rtnl_link_get_kernel(sock_, 0, name.c_str(), &link.p) < 0) {
    LinkPtr made{rtnl_link_alloc()};
    rtnl_link_set_name(made.p, name.c_str());
    check_nl(rtnl_link_set_type(made.p, "bridge"), "set type", name);
    int rc = rtnl_link_add(sock_, made.p, NLM_F_CREATE | NLM_F_EXCL);
    if (rc != -NLE_EXIST) check_nl(rc, "add bridge", name);
    if (rtnl_link_get_kernel(sock_, 0, name.c_str(), &link.p) < 0)
      throw Error("netlink add bridge `" + name + "`: not found after creation");
  }
  const int index = rtnl_link_get_ifindex(link.p);
  std::string alias = rtnl_link_get_ifalias(link.p) ? rtnl_link_get_ifalias(link.p) : "";
  add_address(index, gateway, prefix_length);
  set_up(index);
  return {index, alias};
}

void Netlink::delete_link(const std::string& name) {
  LinkPtr link{rtnl_link_alloc()};
  rtnl_link_set_name(link.p, name.c_str());
  int rc = rtnl_link_delete(sock_, link.p);
  if (rc == -NLE_NODEV || rc == -NLE_OBJ_NOTFOUND) return;
  check_nl(rc, "delete link", name);
}

bool Netlink::add_veth(const VethSpec& s) {
  rtnl_link* link = rtnl_link_veth_alloc();
  if (!link) throw Error("netlink: out of memory");
  rtnl_link* peer = rtnl_link_veth_get_peer(link);
  rtnl_link_set_name(link, s.host_name.c_str());
  rtnl_link_set_master(link, s.bridge_index);
  rtnl_link_set_flags(link, IFF_UP);
  if (!s.alias.empty()) rtnl_link_set_ifalias(link, s.alias.c_str());
  rtnl_link_set_name(peer, s.peer_name.c_str());
  rtnl_link_set_ns_fd(peer, s.peer_netns_fd);
  // One queue each way on both ends, asked for rather than left to the driver: veth makes as
  // many as there are CPUs and then, when none was asked for, sets the real number to one —
  // through netif_set_real_num_*_queues, which waits for an expedited RCU grace period per
  // end under the RTNL lock (on these VMs often most of the veth's creation time). The
  // result is the same device.
  for (rtnl_link* l : {link, peer}) {
    rtnl_link_set_num_tx_queues(l, 1);
    rtnl_link_set_num_rx_queues(l, 1);
  }
  nl_addr* mac = nullptr;
  int rc = nl_addr_parse(s.peer_mac.c_str(), AF_LLC, &mac);
  if (rc == 0) {
    rtnl_link_set_addr(peer, mac);
    nl_addr_put(mac);
    rc = rtnl_link_add(sock_, link, NLM_F_CREATE | NLM_F_EXCL);
  }
  rtnl_link_put(peer);
  rtnl_link_veth_release(link);
  if (rc == -NLE_EXIST) return false;
  check_nl(rc, "add veth", s.host_name);
  return true;
}

void Netlink::set_alias(int index, const std::string& alias) {
  LinkPtr orig{rtnl_link_alloc()}, change{rtnl_link_alloc()};
  rtnl_link_set_ifindex(orig.p, index);
  rtnl_link_set_ifalias(change.p, alias.c_str());
  check_nl(rtnl_link_change(sock_, orig.p, change.p, 0), "set alias",
           "ifindex " + std::to_string(index));
}

void Netlink::set_hairpin(const std::string& port) {
  // An RTM_NEWLINK on an existing link, found by name (no index lookup first), whose slave data
  // goes to the bridge master's changelink. libnl has no bridge-port setter for this form.
  nl_msg* msg = nlmsg_alloc_simple(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK);
  if (!msg) throw Error("netlink: out of memory");
  ifinfomsg ifi{};
  ifi.ifi_family = AF_UNSPEC;
  nlattr* info = nullptr;
  nlattr* data = nullptr;
  bool ok = nlmsg_append(msg, &ifi, sizeof ifi, NLMSG_ALIGNTO) == 0 &&
            nla_put_string(msg, IFLA_IFNAME, port.c_str()) == 0 &&
            (info = nla_nest_start(msg, IFLA_LINKINFO)) != nullptr &&
            nla_put_string(msg, IFLA_INFO_SLAVE_KIND, "bridge") == 0 &&
            (data = nla_nest_start(msg, IFLA_INFO_SLAVE_DATA)) != nullptr &&
            nla_put_u8(msg, IFLA_BRPORT_MODE, 1) == 0;
  if (!ok) {
    nlmsg_free(msg);
    throw Error("netlink set hairpin `" + port + "`: message too long");
  }
  nla_nest_end(msg, data);
  nla_nest_end(msg, info);
  check_nl(nl_send_sync(sock_, msg), "set hairpin", port);  // frees msg
}

void Netlink::set_up(int index) {
  LinkPtr orig{rtnl_link_alloc()}, change{rtnl_link_alloc()};
  rtnl_link_set_ifindex(orig.p, index);
  rtnl_link_set_flags(change.p, IFF_UP);
  check_nl(rtnl_link_change(sock_, orig.p, change.p, 0), "set up",
           "ifindex " + std::to_string(index));
}

void Netlink::add_address(int index, Ipv4Address address, int prefix_length) {
  rtnl_addr* a = rtnl_addr_alloc();
  AddrPtr local = ipv4_addr(address, prefix_length);
  rtnl_addr_set_ifindex(a, index);
  rtnl_addr_set_family(a, AF_INET);
  rtnl_addr_set_local(a, local.p);
  Ipv4Prefix net = prefix_of(address, prefix_length);
  AddrPtr bcast = ipv4_addr(net.last(), 32);
  if (prefix_length < 31) rtnl_addr_set_broadcast(a, bcast.p);
  int rc = rtnl_addr_add(sock_, a, 0);
  rtnl_addr_put(a);
  if (rc != -NLE_EXIST) check_nl(rc, "add address", to_string(address));
}

void Netlink::add_default_route(int index, Ipv4Address gateway) {
  rtnl_route* r = rtnl_route_alloc();
  rtnl_nexthop* nh = rtnl_route_nh_alloc();
  AddrPtr gw = ipv4_addr(gateway, 32);
  AddrPtr dst = ipv4_addr(Ipv4Address{0}, 0);
  rtnl_route_nh_set_gateway(nh, gw.p);
  rtnl_route_nh_set_ifindex(nh, index);
  rtnl_route_add_nexthop(r, nh);  // owned by r from here
  rtnl_route_set_family(r, AF_INET);
  rtnl_route_set_dst(r, dst.p);
  rtnl_route_set_table(r, RT_TABLE_MAIN);
  rtnl_route_set_scope(r, RT_SCOPE_UNIVERSE);
  rtnl_route_set_protocol(r, RTPROT_BOOT);
  rtnl_route_set_type(r, RTN_UNICAST);
  int rc = rtnl_route_add(sock_, r, NLM_F_CREATE);
  rtnl_route_put(r);
  if (rc != -NLE_EXIST) check_nl(rc, "add default route via", to_string(gateway));
}

}  // namespace berth::network
