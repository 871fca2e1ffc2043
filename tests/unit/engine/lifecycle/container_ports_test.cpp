#include "engine/lifecycle/container_ports.h"
#include "request/ports.h"

#include <gtest/gtest.h>

#include "common/error.h"
#include "tests/support/sample_records.h"

namespace berth::engine::lifecycle {
namespace {

constexpr auto parse_publish = &request::parse_port_spec;
using network::PortBinding;

using test::published_ports;

TEST(ContainerPorts, PortBindingsShowWhatWasAsked) {
  auto b = published_ports({"18080:80", "127.0.0.1:5353:53/udp"});
  PortBinding chosen = parse_publish("443")[0];
  chosen.host_port = 49200;
  chosen.host_port_chosen = true;
  b.push_back(chosen);
  EXPECT_EQ(port_bindings_json(b).dump(), R"({"53/udp":[{"HostIp":"127.0.0.1","HostPort":"5353"}],)"
                                          R"("80/tcp":[{"HostIp":"","HostPort":"18080"}],)"
                                          R"("443/tcp":[{"HostIp":"","HostPort":""}]})");
  EXPECT_EQ(ports_json(b, true).dump(), R"({"53/udp":[{"HostIp":"127.0.0.1","HostPort":"5353"}],)"
                                        R"("80/tcp":[{"HostIp":"0.0.0.0","HostPort":"18080"}],)"
                                        R"("443/tcp":[{"HostIp":"0.0.0.0","HostPort":"49200"}]})");
  EXPECT_EQ(ports_json(b, false).dump(), "{}");
}

TEST(ContainerPorts, DisplayNames) {
  auto b = published_ports({"18080:80", "[::1]:5353:53/udp"});
  EXPECT_EQ(port_key(b[0]), "80/tcp");
  EXPECT_EQ(port_endpoint(b[0]), "0.0.0.0:18080");
  EXPECT_EQ(port_endpoint(b[1]), "[::1]:5353");
  EXPECT_EQ(port_key(sorted_ports(b)[0]), "53/udp");
}

TEST(ContainerPorts, RecordWithoutPorts) {
  core::state::ContainerConfig c;
  EXPECT_TRUE(container_ports(c).empty());
  c.extensions["ports"] = network::to_json(published_ports({"1:2"}));
  EXPECT_EQ(container_ports(c).size(), 1u);
}

}  // namespace
}  // namespace berth::engine::lifecycle
