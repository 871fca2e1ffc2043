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

}  // namespace
}  // namespace berth::network
