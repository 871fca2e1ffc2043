#include "network/cidr.h"

#include <gtest/gtest.h>

#include "common/error.h"

namespace berth::network {
namespace {

TEST(Cidr, ParsesAndPrintsAddresses) {
  auto a = parse_ipv4("10.89.0.1");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->value, 0x0A590001u);
  EXPECT_EQ(to_string(*a), "10.89.0.1");
}

TEST(Cidr, RefusesMalformedAddresses) {
  for (const char* bad : {"", "1.2.3", "1.2.3.4 ", " 1.2.3.4", "256.1.1.1", "1.2.3.4.5", "a.b.c.d",
                          "1.2.3.4/24", "::1"})
    EXPECT_FALSE(parse_ipv4(bad)) << bad;
  EXPECT_THROW(parse_ipv4_or_throw("x"), Error);
}

TEST(Cidr, ParsesIpv6) {
  auto a = parse_ipv6("fd00::1");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->bytes[0], 0xfd);
  EXPECT_EQ(a->bytes[15], 1);
  EXPECT_EQ(to_string(*a), "fd00::1");
  EXPECT_FALSE(parse_ipv6("10.0.0.1"));
}

TEST(Cidr, ParsesPrefix) {
  auto p = parse_cidr("10.89.3.0/24");
  EXPECT_EQ(to_string(p), "10.89.3.0/24");
  EXPECT_EQ(to_string(p.last()), "10.89.3.255");
  EXPECT_EQ(p.size(), 256u);
  EXPECT_EQ(parse_cidr("0.0.0.0/0").size(), uint64_t{1} << 32);
  EXPECT_EQ(parse_cidr("1.2.3.4/32").size(), 1u);
}

TEST(Cidr, StrictRefusesHostBitsAndSuggestsTheNetwork) {
  try {
    parse_cidr("10.0.0.1/16");
    FAIL() << "no throw";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("it should be 10.0.0.0/16"), std::string::npos);
  }
  EXPECT_EQ(to_string(parse_cidr("10.0.0.1/16", false)), "10.0.0.0/16");
}

TEST(Cidr, RefusesBadPrefixes) {
  for (const char* bad : {"10.0.0.0", "10.0.0.0/", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/2x",
                          "10.0.0.0/024", "x/24", "/24"})
    EXPECT_THROW(parse_cidr(bad), Error) << bad;
}

TEST(Cidr, ContainsAndOverlaps) {
  auto big = parse_cidr("10.0.0.0/8");
  auto small = parse_cidr("10.1.2.0/24");
  auto other = parse_cidr("192.168.0.0/16");
  EXPECT_TRUE(big.contains(small));
  EXPECT_FALSE(small.contains(big));
  EXPECT_TRUE(big.overlaps(small));
  EXPECT_TRUE(small.overlaps(big));
  EXPECT_FALSE(big.overlaps(other));
  EXPECT_TRUE(small.contains(*parse_ipv4("10.1.2.255")));
  EXPECT_FALSE(small.contains(*parse_ipv4("10.1.3.0")));
  EXPECT_TRUE(parse_cidr("0.0.0.0/0").contains(*parse_ipv4("255.255.255.255")));
}

}  // namespace
}  // namespace berth::network
