#include "network/dns_table.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/atomic_file.h"
#include "common/error.h"
#include "tests/support/harness.h"

namespace berth::network {
namespace {

std::string message(const char* json) {
  try {
    parse_dns_table(json, "t.json");
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(DnsTable, ErrorsNameThePath) {
  EXPECT_EQ(message(R"({"networks":[{"name":"a","gateway":"1.2.3"}]})"),
            "t.json.networks[0].gateway: invalid IPv4 address \"1.2.3\"");
  EXPECT_EQ(message(R"({"containers":[{"id":"x","name":"c","endpoints":[{"network":"z"}]}]})"),
            "t.json.containers[0].endpoints[0].network: unknown network \"z\"");
  EXPECT_EQ(message(R"({"networks":[{"name":"a"},{"name":"a"}]})"),
            "t.json.networks[1].name: duplicate network \"a\"");
  EXPECT_EQ(message(R"({"containers":[{"id":"x"}]})"), "t.json.containers[0].name: missing");
  EXPECT_EQ(message(R"({"networks":[{"name":"a","internal":"yes"}]})"),
            "t.json.networks[0].internal: expected true or false");
  EXPECT_EQ(message(R"({"networks":{}})"), "t.json.networks: expected an array");
  EXPECT_EQ(message("[]"), "t.json: expected an object");
  EXPECT_NE(message("{"), "no error");
  EXPECT_EQ(message(R"({"upstreams":["1.2.3.4:0"]})"),
            "t.json.upstreams[0]: invalid DNS server \"1.2.3.4:0\"");
  EXPECT_EQ(message(R"({"networks":[{"name":"a"}],"containers":[{"id":"x","name":"c",
              "endpoints":[{"network":"a","ipv6":"10.0.0.1"}]}]})"),
            "t.json.containers[0].endpoints[0].ipv6: invalid IPv6 address \"10.0.0.1\"");
}

TEST(DnsTable, ParsesUpstreams) {
  EXPECT_EQ(parse_upstream("1.2.3.4"), (DnsUpstream{"1.2.3.4", 53}));
  EXPECT_EQ(parse_upstream("1.2.3.4:5353"), (DnsUpstream{"1.2.3.4", 5353}));
  EXPECT_EQ(parse_upstream("::1"), (DnsUpstream{"::1", 53}));
  EXPECT_EQ(parse_upstream("[::1]:54"), (DnsUpstream{"::1", 54}));
  EXPECT_EQ(parse_upstream("[fd00::1]"), (DnsUpstream{"fd00::1", 53}));
  for (const char* bad : {"", "1.2.3.4:", "1.2.3.4:x", "1.2.3.4:70000", "[::1", "[::1]x", "host"})
    EXPECT_THROW(parse_upstream(bad), Error) << bad;
  EXPECT_EQ(to_string(DnsUpstream{"::1", 54}), "[::1]:54");
  EXPECT_EQ(to_string(DnsUpstream{"1.2.3.4", 53}), "1.2.3.4:53");
}

TEST(DnsTable, RoundTripsThroughAFile) {
  DnsTable t;
  t.upstreams = {{"10.255.255.53", 53}, {"fd00::53", 5353}};
  t.networks = {{"front", parse_cidr("10.80.0.0/24"), parse_ipv4("10.80.0.1"), false},
                {"back", std::nullopt, std::nullopt, true}};
  t.containers = {{"abc",
                   "web-1",
                   "web",
                   {{"1.1.1.1", 53}},
                   {{"front", parse_ipv4("10.80.0.2"), parse_ipv6("fd00::2"), {"web", "www"}},
                    {"back", std::nullopt, std::nullopt, {}}}}};
  std::filesystem::path dir = berth::test::make_temp_dir("berth-unit-");
  auto path = dns_table_path(dir);
  EXPECT_EQ(path, dir / "dns" / "table.json");
  write_dns_table(path, t);
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto back = parse_dns_table(read_file(path), path.string());
  EXPECT_EQ(to_json(back), to_json(t));
  ASSERT_EQ(back.containers.size(), 1u);
  EXPECT_EQ(back.containers[0].endpoints[0].aliases, (std::vector<std::string>{"web", "www"}));
  EXPECT_EQ(back.containers[0].endpoints[0].ipv6, parse_ipv6("fd00::2"));
  EXPECT_TRUE(back.networks[1].internal);
  EXPECT_EQ(back.upstreams[1], (DnsUpstream{"fd00::53", 5353}));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace berth::network
