#include "network/firewall_rules.h"

#include <gtest/gtest.h>

#include "common/error.h"

namespace berth::network {
namespace {

TEST(FirewallRules, BaseChains) {
  EXPECT_EQ(base_script(),
            "add table ip berth\n"
            "add chain ip berth raw_prerouting { type filter hook prerouting priority raw; "
            "policy accept; }\n"
            "add chain ip berth prerouting { type nat hook prerouting priority dstnat; policy "
            "accept; }\n"
            "add chain ip berth output { type nat hook output priority -100; policy accept; }\n"
            "add chain ip berth postrouting { type nat hook postrouting priority srcnat; policy "
            "accept; }\n"
            "add chain ip berth isolation { type filter hook forward priority filter - 10; policy "
            "accept; }\n"
            "add chain ip berth forward { type filter hook forward priority filter; policy "
            "accept; }\n");
}

TEST(FirewallRules, NetworkMasqueradesAndIsolates) {
  NetworkRules n{"br-a", parse_cidr("10.91.0.0/24"), false};
  EXPECT_EQ(network_script(n),
            "add rule ip berth raw_prerouting iifname != \"lo\" ip daddr 127.0.0.0/8 drop comment "
            "\"berth net br-a\"\n"
            "add rule ip berth forward oifname \"br-a\" ct state established,related accept "
            "comment \"berth net br-a\"\n"
            "add rule ip berth forward oifname \"br-a\" ct status dnat accept comment \"berth net "
            "br-a\"\n"
            "add rule ip berth forward oifname \"br-a\" iifname != \"br-a\" drop comment \"berth "
            "net br-a\"\n"
            "add rule ip berth postrouting ip saddr 10.91.0.0/24 oifname != \"br-a\" masquerade "
            "comment \"berth net br-a\"\n"
            "add rule ip berth postrouting oifname \"br-a\" ip saddr 127.0.0.0/8 masquerade "
            "comment \"berth net br-a\"\n"
            "add rule ip berth postrouting oifname \"br-a\" ip saddr 10.91.0.0/24 ct status dnat "
            "masquerade comment \"berth net br-a\"\n");
}

TEST(FirewallRules, InternalNetworkHasNoWayOut) {
  NetworkRules n{"br-i", parse_cidr("10.93.0.0/24"), true};
  std::string s = network_script(n);
  EXPECT_EQ(s.find("masquerade"), std::string::npos);
  EXPECT_NE(s.find("add rule ip berth isolation iifname \"br-i\" oifname != \"br-i\" drop"),
            std::string::npos);
  EXPECT_NE(s.find("add rule ip berth isolation oifname \"br-i\" iifname != \"br-i\" drop"),
            std::string::npos);
}

TEST(FirewallRules, RefusesOddBridgeNames) {
  for (const char* bad : {"", "br\"x", "a b", "a-very-long-bridge-name"})
    EXPECT_THROW(network_script({bad, parse_cidr("10.0.0.0/24"), false}), Error) << bad;
}

TEST(FirewallRules, ContainerDnat) {
  PortBinding any;
  any.host_port = 18080;
  any.container_port = 80;
  PortBinding local = any;
  local.host_ip = "127.0.0.1";
  local.host_port = 15353;
  local.container_port = 53;
  local.proto = "udp";
  EXPECT_EQ(container_script("abc", parse_ipv4_or_throw("10.91.0.2"), {any, local}),
            "add rule ip berth prerouting fib daddr type local tcp dport 18080 dnat to "
            "10.91.0.2:80 comment \"berth ctr abc\"\n"
            "add rule ip berth output fib daddr type local tcp dport 18080 dnat to 10.91.0.2:80 "
            "comment \"berth ctr abc\"\n"
            "add rule ip berth prerouting ip daddr 127.0.0.1 udp dport 15353 dnat to "
            "10.91.0.2:53 comment \"berth ctr abc\"\n"
            "add rule ip berth output ip daddr 127.0.0.1 udp dport 15353 dnat to 10.91.0.2:53 "
            "comment \"berth ctr abc\"\n");
  PortBinding v6 = any;
  v6.host_ip = "::1";
  EXPECT_THROW(container_script("abc", parse_ipv4_or_throw("10.91.0.2"), {v6}), Error);
  PortBinding unchosen = any;
  unchosen.host_port = 0;
  EXPECT_THROW(container_script("abc", parse_ipv4_or_throw("10.91.0.2"), {unchosen}), Error);
}

TEST(FirewallRules, DeletesExactlyTheTaggedRules) {
  auto listing = nlohmann::json::parse(R"({"nftables": [
    {"metainfo": {"version": "1.0.6"}},
    {"table": {"family": "ip", "name": "berth", "handle": 9}},
    {"rule": {"family": "ip", "table": "berth", "chain": "prerouting", "handle": 4,
              "comment": "berth ctr abc", "expr": []}},
    {"rule": {"family": "ip", "table": "berth", "chain": "output", "handle": 5,
              "comment": "berth ctr abcd", "expr": []}},
    {"rule": {"family": "ip", "table": "berth", "chain": "output", "handle": 6,
              "comment": "berth ctr abc", "expr": []}},
    {"rule": {"family": "ip", "table": "berth", "chain": "forward", "handle": 7,
              "comment": "berth net br-a", "expr": []}},
    {"rule": {"family": "ip", "table": "berth", "chain": "forward", "handle": 8, "expr": []}}]})");
  EXPECT_EQ(delete_script(listing, [](const std::string& c) { return c == "berth ctr abc"; }),
            "delete rule ip berth prerouting handle 4\n"
            "delete rule ip berth output handle 6\n");
  EXPECT_EQ(delete_script(listing, [](const std::string& c) { return c == "nothing"; }), "");
  EXPECT_EQ(delete_script(nlohmann::json::object(), [](const std::string&) { return true; }), "");
  EXPECT_EQ(container_ids(listing), (std::vector<std::string>{"abc", "abcd"}));
}

}  // namespace
}  // namespace berth::network
