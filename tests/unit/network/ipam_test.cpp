#include "network/ipam.h"

#include <gtest/gtest.h>

#include "common/error.h"

namespace berth::network {
namespace {

Ipv4Address ipam_ip(const char* s) {
  return parse_ipv4_or_throw(s);
}

TEST(Ipam, FirstSubnetComesFromTheDefaultPool) {
  EXPECT_EQ(to_string(allocate_subnet({})), "10.80.0.0/24");
}

TEST(Ipam, DefaultPoolStaysClearOfDockerAndPodman) {
  for (const auto& pool : default_subnet_pools())
    for (const auto& r : reserved_subnets()) EXPECT_FALSE(pool.base.overlaps(r));
  EXPECT_FALSE(default_subnet_pools()[0].base.overlaps(parse_cidr("10.89.0.0/16")));
}

TEST(Ipam, SkipsExistingNetworks) {
  SubnetConstraints c;
  c.networks = {parse_cidr("10.80.0.0/24"), parse_cidr("10.80.2.0/24")};
  EXPECT_EQ(to_string(allocate_subnet(c)), "10.80.1.0/24");
}

TEST(Ipam, SkipsRoutedPrefixesButNotTheDefaultRoute) {
  SubnetConstraints c;
  c.host_routes = {parse_cidr("0.0.0.0/0"), parse_cidr("10.80.0.0/23"), parse_cidr("10.80.2.7/32")};
  EXPECT_EQ(to_string(allocate_subnet(c)), "10.80.3.0/24");
}

TEST(Ipam, SkipsSubnetsHoldingANameserverOrGateway) {
  SubnetConstraints c;
  c.host_addresses = {ipam_ip("10.80.0.53"), ipam_ip("10.80.1.1")};
  EXPECT_EQ(to_string(allocate_subnet(c)), "10.80.2.0/24");
}

TEST(Ipam, WiderRouteCoversWholePoolThenCustomPoolIsUsed) {
  SubnetConstraints c;
  c.host_routes = {parse_cidr("10.0.0.0/8")};
  EXPECT_THROW(allocate_subnet(c), Error);
  std::vector<SubnetPool> pools = {{parse_cidr("10.0.0.0/16"), 24},
                                   {parse_cidr("192.168.100.0/22"), 26}};
  EXPECT_EQ(to_string(allocate_subnet(c, pools)), "192.168.100.0/26");
}

TEST(Ipam, NeverPicksReservedSubnetsFromACustomPool) {
  std::vector<SubnetPool> pools = {{parse_cidr("172.16.0.0/12"), 16},
                                   {parse_cidr("10.88.0.0/15"), 16}};
  EXPECT_EQ(to_string(allocate_subnet({}, pools)), "10.89.0.0/16");
}

TEST(Ipam, RequestedSubnetMayNotOverlapAnotherNetwork) {
  std::vector<Ipv4Prefix> nets = {parse_cidr("10.80.0.0/24")};
  EXPECT_NO_THROW(check_requested_subnet(parse_cidr("10.80.1.0/24"), nets));
  EXPECT_THROW(check_requested_subnet(parse_cidr("10.80.0.0/16"), nets), Error);
  EXPECT_THROW(check_requested_subnet(parse_cidr("10.80.0.128/25"), nets), Error);
  EXPECT_THROW(check_requested_subnet(parse_cidr("10.99.0.0/31"), nets), Error);
}

TEST(Ipam, GatewayIsFirstUsableAddress) {
  EXPECT_EQ(to_string(default_gateway(parse_cidr("10.80.4.0/24"))), "10.80.4.1");
  EXPECT_THROW(default_gateway(parse_cidr("10.80.4.0/31")), Error);
  auto s = parse_cidr("10.80.4.0/24");
  EXPECT_NO_THROW(check_gateway(s, ipam_ip("10.80.4.254")));
  EXPECT_THROW(check_gateway(s, ipam_ip("10.80.4.0")), Error);
  EXPECT_THROW(check_gateway(s, ipam_ip("10.80.4.255")), Error);
  EXPECT_THROW(check_gateway(s, ipam_ip("10.80.5.1")), Error);
}

TEST(Ipam, AllocatesLowestFreeAddressSkippingGateway) {
  auto s = parse_cidr("10.80.4.0/24");
  EXPECT_EQ(to_string(allocate_address(s, ipam_ip("10.80.4.1"), {})), "10.80.4.2");
  EXPECT_EQ(to_string(allocate_address(s, ipam_ip("10.80.4.1"),
                                       {ipam_ip("10.80.4.2"), ipam_ip("10.80.4.4")})),
            "10.80.4.3");
  EXPECT_EQ(to_string(allocate_address(s, ipam_ip("10.80.4.2"),
                                       {ipam_ip("10.80.4.1"), ipam_ip("10.80.4.3")})),
            "10.80.4.4");
  // Addresses outside the subnet in the in-use list do not matter.
  EXPECT_EQ(to_string(allocate_address(s, ipam_ip("10.80.4.1"), {ipam_ip("10.80.5.2")})),
            "10.80.4.2");
}

TEST(Ipam, FullSubnetIsAnError) {
  auto s = parse_cidr("10.80.4.0/30");  // .1 gateway, .2 the only host
  EXPECT_EQ(to_string(allocate_address(s, ipam_ip("10.80.4.1"), {})), "10.80.4.2");
  EXPECT_THROW(allocate_address(s, ipam_ip("10.80.4.1"), {ipam_ip("10.80.4.2")}), Error);
}

TEST(Ipam, HonoursRequestedAddress) {
  auto s = parse_cidr("10.80.4.0/24");
  auto gw = ipam_ip("10.80.4.1");
  EXPECT_EQ(to_string(allocate_address(s, gw, {ipam_ip("10.80.4.2")}, ipam_ip("10.80.4.77"))),
            "10.80.4.77");
  EXPECT_THROW(allocate_address(s, gw, {ipam_ip("10.80.4.77")}, ipam_ip("10.80.4.77")), Error);
  EXPECT_THROW(allocate_address(s, gw, {}, gw), Error);
  EXPECT_THROW(allocate_address(s, gw, {}, ipam_ip("10.80.5.7")), Error);
  EXPECT_THROW(allocate_address(s, gw, {}, ipam_ip("10.80.4.0")), Error);
  EXPECT_THROW(allocate_address(s, gw, {}, ipam_ip("10.80.4.255")), Error);
}

// --ip-range: dynamic addresses from the range only (its own first address included when it is
// not the subnet's), never the subnet's first or last; a requested one anywhere in the subnet.
TEST(Ipam, AllocatesFromTheIpRange) {
  auto s = parse_cidr("10.80.0.0/16");
  auto gw = ipam_ip("10.80.0.1");
  auto range = parse_cidr("10.80.5.0/30");
  EXPECT_EQ(to_string(allocate_address(s, gw, {}, std::nullopt, range)), "10.80.5.0");
  EXPECT_EQ(to_string(allocate_address(s, gw, {ipam_ip("10.80.5.0"), ipam_ip("10.80.5.1")},
                                       std::nullopt, range)),
            "10.80.5.2");
  EXPECT_THROW(allocate_address(s, gw,
                                {ipam_ip("10.80.5.0"), ipam_ip("10.80.5.1"), ipam_ip("10.80.5.2"),
                                 ipam_ip("10.80.5.3")},
                                std::nullopt, range),
               Error);
  EXPECT_EQ(to_string(allocate_address(s, gw, {}, ipam_ip("10.80.9.9"), range)), "10.80.9.9");
  // A range at the subnet's start or end skips the subnet's own first and last address.
  EXPECT_EQ(to_string(allocate_address(s, gw, {}, std::nullopt, parse_cidr("10.80.0.0/30"))),
            "10.80.0.2");
  EXPECT_THROW(allocate_address(s, gw, {ipam_ip("10.80.255.254")}, std::nullopt,
                                parse_cidr("10.80.255.254/31")),
               Error);
}

}  // namespace
}  // namespace berth::network
