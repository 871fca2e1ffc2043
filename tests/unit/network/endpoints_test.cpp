#include "network/endpoints.h"

#include <gtest/gtest.h>

#include "common/error.h"
#include "network/veth_names.h"

namespace berth::network {
namespace {

TEST(Endpoints, MissingKeysMeanTheDefaultBridgeWithNoEndpoint) {
  ContainerNetworking n = networking_from_extensions(nlohmann::json::object());
  EXPECT_EQ(n.mode, "bridge");
  EXPECT_TRUE(n.endpoints.empty());
  EXPECT_TRUE(n.uses_bridges());
}

TEST(Endpoints, RoundTripKeepsOrderAliasesDnsAndHosts) {
  ContainerNetworking n;
  n.mode = "front";
  n.endpoints.push_back({"front", parse_ipv4_or_throw("10.80.0.2"), "02:42:0a:50:00:02", {"web"}});
  n.endpoints.push_back({"back", parse_ipv4_or_throw("10.80.1.7"), "02:42:0a:50:01:07", {}});
  n.dns = {"1.1.1.1"};
  n.extra_hosts = {"db:10.0.0.5"};
  nlohmann::json ext = {{"other_module", 1}};
  store_networking(ext, n);
  EXPECT_EQ(ext["other_module"], 1);
  ContainerNetworking back = networking_from_extensions(ext);
  EXPECT_EQ(back.mode, "front");
  ASSERT_EQ(back.endpoints.size(), 2u);
  EXPECT_EQ(to_string(back.find("front")->ip), "10.80.0.2");
  EXPECT_EQ(back.find("front")->aliases, std::vector<std::string>{"web"});
  EXPECT_EQ(back.find("back")->mac, "02:42:0a:50:01:07");
  EXPECT_EQ(back.dns, n.dns);
  EXPECT_EQ(back.extra_hosts, n.extra_hosts);
}

TEST(Endpoints, SpecialModes) {
  for (const char* m : {"host", "none", "container:abc"}) {
    ContainerNetworking n;
    n.mode = m;
    EXPECT_FALSE(n.uses_bridges()) << m;
  }
}

TEST(Endpoints, BadAddressInRecordIsAnError) {
  nlohmann::json ext = {{"networks", {{"x", {{"ip", "10.0.0"}}}}}};
  EXPECT_THROW(networking_from_extensions(ext), Error);
}

TEST(Endpoints, MacFollowsDocker) {
  EXPECT_EQ(mac_for(parse_ipv4_or_throw("172.17.0.2")), "02:42:ac:11:00:02");
}

TEST(Endpoints, ExtraHostParsing) {
  EXPECT_EQ(parse_extra_host("db:10.0.0.5"),
            std::make_pair(std::string("db"), std::string("10.0.0.5")));
  EXPECT_EQ(parse_extra_host("v6=::1").second, "::1");
  EXPECT_THROW(parse_extra_host("db"), Error);
  EXPECT_THROW(parse_extra_host(":10.0.0.1"), Error);
  EXPECT_THROW(parse_extra_host("db:notanip"), Error);
}

TEST(VethNames, FitIfnamsizAndShareTheContainerPrefix) {
  std::string id(64, 'a'), net(64, 'b');
  EXPECT_EQ(veth_name(id, net).size(), 15u);
  EXPECT_TRUE(veth_name(id, net).starts_with(veth_prefix(id)));
  EXPECT_EQ(veth_prefix(id).size(), kVethPrefixLen);
}

}  // namespace
}  // namespace berth::network
