#include "request/ports.h"
#include "cli/format/ports.h"

#include <gtest/gtest.h>

#include "common/error.h"
#include "tests/support/sample_records.h"

namespace berth::cli::format {
namespace {

constexpr auto parse_publish = &request::parse_port_spec;
using network::PortBinding;

using test::published_ports;

TEST(PortsFormat, PsColumnFoldsRanges) {
  auto b = published_ports({"18080:80", "8000-8002:90-92", "127.0.0.1:5353:53/udp"});
  EXPECT_EQ(ports_text(b, true),
            "127.0.0.1:5353->53/udp, 0.0.0.0:18080->80/tcp, 0.0.0.0:8000-8002->90-92/tcp");
  EXPECT_EQ(ports_text(b, false), "");
  EXPECT_EQ(ports_text(published_ports({"[::1]:80:80"}), true), "[::1]:80->80/tcp");
}

TEST(PortsFormat, PortCommandLines) {
  auto b = published_ports({"18080:80", "127.0.0.1:5353:53/udp"});
  EXPECT_EQ(port_lines(b, "", "web"),
            (std::vector<std::string>{"53/udp -> 127.0.0.1:5353", "80/tcp -> 0.0.0.0:18080"}));
  EXPECT_EQ(port_lines(b, "80", "web"), (std::vector<std::string>{"0.0.0.0:18080"}));
  EXPECT_EQ(port_lines(b, "53/udp", "web"), (std::vector<std::string>{"127.0.0.1:5353"}));
  try {
    port_lines(b, "53", "web");
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "No public port '53/tcp' published for web");
  }
  EXPECT_THROW(port_lines(b, "x/tcp", "web"), Error);
}

}  // namespace
}  // namespace berth::cli::format
