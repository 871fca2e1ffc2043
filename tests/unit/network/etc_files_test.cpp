#include "network/etc_files.h"

#include <gtest/gtest.h>

namespace berth::network {
namespace {

constexpr const char* kHostResolv = "# generated\nnameserver 10.255.255.53\nsearch example.org\n";

TEST(EtcFiles, HostsListsAddHostThenOwnAddresses) {
  ContainerNetworking n;
  n.extra_hosts = {"db:10.0.0.5"};
  EtcInputs in;
  in.hostname = "web";
  in.addresses = {parse_ipv4_or_throw("10.80.0.2")};
  in.net = &n;
  std::string hosts = make_hosts(in);
  EXPECT_TRUE(hosts.starts_with("127.0.0.1\tlocalhost\n"));
  EXPECT_NE(hosts.find("10.0.0.5\tdb\n"), std::string::npos);
  EXPECT_TRUE(hosts.ends_with("10.80.0.2\tweb\n"));
}

TEST(EtcFiles, HostModeCopiesTheHostsHosts) {
  ContainerNetworking n;
  n.mode = "host";
  EtcInputs in;
  in.net = &n;
  in.host_hosts = "127.0.0.1 localhost myhost\n";
  EXPECT_EQ(make_hosts(in), in.host_hosts);
}

TEST(EtcFiles, UserNetworkResolvesThroughItsGateway) {
  ContainerNetworking n;
  n.dns = {"1.1.1.1"};  // forwarded by the DNS process, not written here
  EtcInputs in;
  in.net = &n;
  in.dns_gateway = parse_ipv4_or_throw("10.80.0.1");
  in.host_resolv = kHostResolv;
  EXPECT_EQ(make_resolv_conf(in), "nameserver 10.80.0.1\nsearch example.org\noptions ndots:0\n");
}

TEST(EtcFiles, DefaultBridgeUsesDnsFlagOrTheHost) {
  ContainerNetworking n;
  EtcInputs in;
  in.net = &n;
  in.host_resolv = kHostResolv;
  EXPECT_EQ(make_resolv_conf(in), kHostResolv);
  n.dns = {"1.1.1.1", "9.9.9.9"};
  EXPECT_EQ(make_resolv_conf(in), "nameserver 1.1.1.1\nnameserver 9.9.9.9\nsearch example.org\n");
}

TEST(EtcFiles, DnsSearchAndOptionsReplaceTheHosts) {
  ContainerNetworking n;
  n.dns_search = {"a.test", "b.test"};
  n.dns_options = {"timeout:2", "attempts:3"};
  EtcInputs in;
  in.net = &n;
  in.host_resolv = std::string(kHostResolv) + "options edns0\n";
  in.dns_gateway = parse_ipv4_or_throw("10.80.0.1");
  EXPECT_EQ(make_resolv_conf(in),
            "nameserver 10.80.0.1\nsearch a.test b.test\noptions timeout:2 attempts:3\n"
            "options ndots:0\n");
  n.dns_options = {"ndots:2"};
  n.dns_search = {"."};
  EXPECT_EQ(make_resolv_conf(in), "nameserver 10.80.0.1\noptions ndots:2\n")
      << "\".\" drops the search line; an ndots option is the one";
  in.dns_gateway.reset();  // default bridge: the host's nameservers with ours
  n.dns_options.clear();
  n.dns_search = {"c.test"};
  EXPECT_EQ(make_resolv_conf(in), "nameserver 10.255.255.53\noptions edns0\nsearch c.test\n");
}

}  // namespace
}  // namespace berth::network
