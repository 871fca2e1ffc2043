#include "network/host_info.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "common/atomic_file.h"
#include "tests/support/harness.h"

namespace berth::network {
namespace {

// This machine's table (kernel 6.18, x86_64), plus a down route and a garbage line.
constexpr const char* kRoutes =
    "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
    "eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n"
    "eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n"
    "br-1\t0000590A\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0\n"
    "down\t0000100A\t00000000\t0000\t0\t0\t0\t0000FFFF\t0\t0\t0\n"
    "bad\tzz\n"
    "odd\t0000110A\t00000000\t0001\t0\t0\t0\t00FF00FF\t0\t0\t0\n";

TEST(HostInfo, ParsesProcNetRoute) {
  auto routes = parse_proc_net_route(kRoutes);
  ASSERT_EQ(routes.size(), 3u);
  EXPECT_EQ(routes[0].interface, "eth0");
  EXPECT_EQ(to_string(routes[0].destination), "0.0.0.0/0");
  EXPECT_EQ(to_string(routes[0].gateway), "192.0.2.1");
  EXPECT_EQ(to_string(routes[1].destination), "192.0.2.0/24");
  EXPECT_EQ(routes[1].gateway.value, 0u);
  EXPECT_EQ(to_string(routes[2].destination), "10.89.0.0/16");
}

TEST(HostInfo, EmptyOrHeaderOnlyRouteFile) {
  EXPECT_TRUE(parse_proc_net_route("").empty());
  EXPECT_TRUE(parse_proc_net_route("Iface\tDestination\n").empty());
}

TEST(HostInfo, ParsesResolvConfNameservers) {
  auto ns = parse_resolv_conf_nameservers(
      "# generated\n"
      "search example.com\n"
      "nameserver 10.255.255.53\n"
      "; nameserver 1.1.1.1\n"
      "nameserver   fe80::1%eth0  \n"
      "nameserver\n"
      "nameserver not-an-address\n"
      "options ndots:2\n"
      "\tnameserver 127.0.0.53");
  EXPECT_EQ(ns, (std::vector<std::string>{"10.255.255.53", "fe80::1%eth0", "127.0.0.53"}));
}

TEST(HostInfo, ReadsConstraintsFromFiles) {
  std::filesystem::path dir = berth::test::make_temp_dir("berth-unit-");
  write_file_atomic(dir / "route", kRoutes);
  write_file_atomic(dir / "resolv.conf", "nameserver 10.80.0.9\nnameserver ::1\n");
  auto c = read_host_constraints(dir / "route", dir / "resolv.conf");
  EXPECT_EQ(c.host_routes.size(), 3u);
  ASSERT_EQ(c.host_addresses.size(), 2u);
  EXPECT_EQ(to_string(c.host_addresses[0]), "192.0.2.1");
  EXPECT_EQ(to_string(c.host_addresses[1]), "10.80.0.9");
  EXPECT_EQ(to_string(allocate_subnet(c)), "10.80.1.0/24");
  auto none = read_host_constraints(dir / "missing", dir / "missing2");
  EXPECT_TRUE(none.host_routes.empty());
  std::filesystem::remove_all(dir);
}

TEST(HostInfo, ReadsUpstreamsFromResolvConf) {
  std::filesystem::path dir = berth::test::make_temp_dir("berth-unit-");
  write_file_atomic(dir / "resolv.conf",
                    "nameserver 127.0.0.53\nnameserver fe80::1%eth0\nnameserver fd00::53\n");
  EXPECT_EQ(read_host_upstreams(dir / "resolv.conf"),
            (std::vector<DnsUpstream>{{"127.0.0.53", 53}, {"fd00::53", 53}}));
  EXPECT_TRUE(read_host_upstreams(dir / "missing").empty());
  std::filesystem::remove_all(dir);
}

TEST(HostInfo, ReadsThisHost) {
  auto c = read_host_constraints();
  auto s = allocate_subnet(c);
  for (auto a : c.host_addresses) EXPECT_FALSE(s.contains(a));
}

}  // namespace
}  // namespace berth::network
