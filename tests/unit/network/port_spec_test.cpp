#include "network/port_spec.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "common/error.h"
#include "request/ports.h"

namespace berth::network {
namespace {

constexpr auto parse_publish = &request::parse_port_spec;

PortBinding binding(std::string ip, uint16_t host, uint16_t container, std::string proto = "tcp") {
  PortBinding b;
  b.host_ip = std::move(ip);
  b.host_port = host;
  b.container_port = container;
  b.proto = std::move(proto);
  return b;
}

TEST(PortSpec, ParsesDockerForms) {
  EXPECT_EQ(parse_publish("18080:80"), std::vector{binding("", 18080, 80)});
  EXPECT_EQ(parse_publish("80"), std::vector{binding("", 0, 80)});
  EXPECT_EQ(parse_publish("127.0.0.1::80"), std::vector{binding("127.0.0.1", 0, 80)});
  EXPECT_EQ(parse_publish("127.0.0.1:8080:80/udp"),
            std::vector{binding("127.0.0.1", 8080, 80, "udp")});
  EXPECT_EQ(parse_publish("[::1]:80:80"), std::vector{binding("::1", 80, 80)});
  EXPECT_EQ(parse_publish("53:53/sctp"), std::vector{binding("", 53, 53, "sctp")});
}

TEST(PortSpec, ParsesRanges) {
  auto r = parse_publish("8000-8002:80-82");
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[2], binding("", 8002, 82));
  auto open = parse_publish("80-81/udp");
  ASSERT_EQ(open.size(), 2u);
  EXPECT_EQ(open[1], binding("", 0, 81, "udp"));
  auto pool = parse_publish("9000-9010:80");
  ASSERT_EQ(pool.size(), 1u);
  EXPECT_EQ(pool[0].host_port, 9000);
  EXPECT_EQ(pool[0].host_port_end, 9010);
}

TEST(PortSpec, Errors) {
  for (const char* bad : {"", "0", "70000", "8000-8002:80-81", "82-80", "::80", "1.2.3:80:80"})
    EXPECT_THROW(parse_publish(bad), std::invalid_argument) << bad;
}

TEST(PortSpec, PublishAllSkipsExplicitPorts) {
  auto exposed = nlohmann::json::parse(R"({"80/tcp": {}, "53/udp": {}, "443/tcp": {}})");
  auto all = publish_all(exposed, {binding("", 8443, 443)});
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0], binding("", 0, 53, "udp"));
  EXPECT_EQ(all[1], binding("", 0, 80));
  EXPECT_TRUE(publish_all(nullptr, {}).empty());
  EXPECT_THROW(publish_all(nlohmann::json::parse(R"({"x/tcp": {}})"), {}), Error);
}

TEST(PortSpec, ConflictsNeedSameProtoPortAndOverlappingAddress) {
  EXPECT_TRUE(same_host_socket(binding("", 80, 1), binding("127.0.0.1", 80, 2)));
  EXPECT_TRUE(same_host_socket(binding("0.0.0.0", 80, 1), binding("", 80, 2)));
  EXPECT_FALSE(same_host_socket(binding("", 80, 1), binding("", 80, 1, "udp")));
  EXPECT_FALSE(same_host_socket(binding("127.0.0.1", 80, 1), binding("127.0.0.2", 80, 1)));
  EXPECT_FALSE(same_host_socket(binding("", 80, 1), binding("::1", 80, 1)));
  EXPECT_TRUE(same_host_socket(binding("::", 80, 1), binding("", 80, 1)));
  std::vector<PortBinding> mine = {binding("", 18081, 81), binding("", 18080, 80)};
  const PortBinding* c = find_conflict(mine, {binding("", 18080, 9000)});
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(conflict_message(*c), "Bind for 0.0.0.0:18080 failed: port is already allocated");
  EXPECT_EQ(find_conflict(mine, {binding("", 18082, 80)}), nullptr);
}

TEST(PortSpec, AssignsFreeHostPorts) {
  std::vector<PortBinding> b = {binding("", 0, 80), binding("", 40000, 81), binding("", 0, 82)};
  auto probe = [](const PortBinding& p) { return p.host_port != 40002; };
  assign_host_ports(b, {binding("", 40001, 1)}, {40000, 40010}, probe, 0);
  EXPECT_EQ(b[0].host_port, 40003);  // 40000 is b[1]'s, 40001 taken, 40002 held on the host
  EXPECT_TRUE(b[0].host_port_chosen);
  EXPECT_EQ(b[1].host_port, 40000);
  EXPECT_FALSE(b[1].host_port_chosen);
  EXPECT_EQ(b[2].host_port, 40004);
  std::vector<PortBinding> full = {binding("", 0, 80)};
  EXPECT_THROW(assign_host_ports(full, {binding("", 5, 1)}, {5, 5}, nullptr, 3), Error);
  auto pool = parse_publish("9000-9001:80");
  assign_host_ports(pool, {binding("", 9000, 1)}, {40000, 40010}, nullptr, 0);
  EXPECT_EQ(pool[0].host_port, 9001);
  EXPECT_EQ(pool[0].host_port_end, 0);
}

TEST(PortSpec, RecordRoundTrips) {
  std::vector<PortBinding> b = {binding("127.0.0.1", 18080, 80, "udp")};
  b[0].host_port_chosen = true;
  EXPECT_EQ(bindings_from_json(to_json(b)), b);
  EXPECT_TRUE(bindings_from_json(nullptr).empty());
}

}  // namespace
}  // namespace berth::network
