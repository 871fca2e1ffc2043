#include "network/dns_responder.h"

#include <gtest/gtest.h>

#include <set>

namespace berth::network {
namespace {

using Bytes = std::vector<uint8_t>;
using dns::Rcode;

Ipv4Address addr_of(const char* s) {
  return parse_ipv4_or_throw(s);
}

constexpr const char* kResponderTable = R"({
  "upstreams": ["127.0.0.1:5353"],
  "networks": [
    {"name": "front", "subnet": "10.80.0.0/24", "gateway": "10.80.0.1"},
    {"name": "back", "subnet": "10.80.1.0/24", "gateway": "10.80.1.1", "internal": true}
  ],
  "containers": [
    {"id": "aaaaaaaaaaaa1111", "name": "web1",
     "endpoints": [{"network": "front", "ipv4": "10.80.0.2", "aliases": ["web"]}]},
    {"id": "bbbbbbbbbbbb2222", "name": "web2",
     "endpoints": [{"network": "front", "ipv4": "10.80.0.3", "aliases": ["web"]}]},
    {"id": "cccccccccccc3333", "name": "db",
     "endpoints": [{"network": "back", "ipv4": "10.80.1.3"}]}
  ]
})";

Bytes query(const std::string& name, uint16_t type) {
  Bytes q = {0xAB, 0xCD, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0};
  dns::encode_name(name, q);
  q.insert(q.end(), {static_cast<uint8_t>(type >> 8), static_cast<uint8_t>(type), 0, 1});
  return q;
}

class DnsResponderTest : public ::testing::Test {
 protected:
  DnsDecision ask(const std::string& name, uint16_t type, const char* from = "10.80.0.2",
                  DnsTransport t = DnsTransport::kUdp) {
    return decide(records, query(name, type), addr_of(from), std::nullopt, t, rng);
  }
  dns::Message reply_of(const DnsDecision& d) {
    EXPECT_EQ(d.kind, DnsDecision::Kind::kReply);
    auto m = dns::parse_message(d.reply);
    EXPECT_TRUE(m);
    return m.value_or(dns::Message{});
  }
  DnsRecords records = DnsRecords::parse(kResponderTable, "t");
  std::mt19937 rng{7};
};

TEST_F(DnsResponderTest, AnswersAWithEveryReplica) {
  auto m = reply_of(ask("WEB", dns::kTypeA));
  EXPECT_EQ(m.header.id, 0xABCD);
  EXPECT_EQ(m.header.rcode(), Rcode::kNoError);
  EXPECT_EQ(m.answers.size(), 2u);
  EXPECT_EQ(m.answers[0].ttl, kDnsRecordTtl);
}

TEST_F(DnsResponderTest, ShufflesReplicas) {
  std::set<Bytes> firsts;
  for (int i = 0; i < 20; ++i) firsts.insert(reply_of(ask("web", dns::kTypeA)).answers[0].rdata);
  EXPECT_EQ(firsts.size(), 2u);
}

TEST_F(DnsResponderTest, AaaaOfAnIpv4OnlyNameIsEmptyNoError) {
  auto m = reply_of(ask("web1", dns::kTypeAaaa));
  EXPECT_EQ(m.header.rcode(), Rcode::kNoError);
  EXPECT_TRUE(m.answers.empty());
  EXPECT_TRUE(m.header.flags & dns::kFlagAa);
}

TEST_F(DnsResponderTest, AnswersPtr) {
  auto d = ask("3.0.80.10.in-addr.arpa", dns::kTypePtr);
  auto m = reply_of(d);
  ASSERT_EQ(m.answers.size(), 1u);
  EXPECT_EQ(dns::rdata_name(d.reply, m.answers[0]), "web2");
  EXPECT_EQ(reply_of(ask("99.0.80.10.in-addr.arpa", dns::kTypePtr)).header.rcode(),
            Rcode::kNxDomain);
}

TEST_F(DnsResponderTest, ForwardsUnknownNamesFromExternalNetworks) {
  auto d = ask("deb.debian.org", dns::kTypeA);
  ASSERT_EQ(d.kind, DnsDecision::Kind::kForward);
  EXPECT_EQ(d.upstreams, (std::vector<DnsUpstream>{{"127.0.0.1", 5353}}));
  EXPECT_EQ(d.query.header.id, 0xABCD);
  EXPECT_EQ(ask("8.8.8.8.in-addr.arpa", dns::kTypePtr).kind, DnsDecision::Kind::kForward);
}

TEST_F(DnsResponderTest, NeverForwardsFromInternalNetworks) {
  auto m = reply_of(ask("deb.debian.org", dns::kTypeA, "10.80.1.3"));
  EXPECT_EQ(m.header.rcode(), Rcode::kNxDomain);
  EXPECT_EQ(reply_of(ask("web1", dns::kTypeA, "10.80.1.3")).header.rcode(), Rcode::kNxDomain);
}

TEST_F(DnsResponderTest, RefusesStrangers) {
  EXPECT_EQ(reply_of(ask("web", dns::kTypeA, "192.0.2.7")).header.rcode(), Rcode::kRefused);
}

TEST_F(DnsResponderTest, BadPackets) {
  EXPECT_EQ(
      decide(records, Bytes{1, 2}, addr_of("10.80.0.2"), std::nullopt, DnsTransport::kUdp, rng)
          .kind,
      DnsDecision::Kind::kDrop);
  Bytes two = query("web", dns::kTypeA);
  two[5] = 2;
  auto d = decide(records, two, addr_of("10.80.0.2"), std::nullopt, DnsTransport::kUdp, rng);
  EXPECT_EQ(reply_of(d).header.rcode(), Rcode::kFormErr);
}

TEST_F(DnsResponderTest, TruncatesOverUdpOnly) {
  std::string json = R"({"networks":[{"name":"n","gateway":"10.80.0.1"}],"containers":[)";
  for (int i = 0; i < 60; ++i)
    json += std::string(i ? "," : "") + R"({"id":"id)" + std::to_string(i) + R"(","name":"c)" +
            std::to_string(i) + R"(","endpoints":[{"network":"n","ipv4":"10.80.0.)" +
            std::to_string(i + 2) + R"(","aliases":["svc"]}]})";
  json += "]}";
  records = DnsRecords::parse(json, "t");
  auto udp = reply_of(ask("svc", dns::kTypeA));
  EXPECT_TRUE(udp.header.flags & dns::kFlagTc);
  auto tcp = reply_of(ask("svc", dns::kTypeA, "10.80.0.2", DnsTransport::kTcp));
  EXPECT_FALSE(tcp.header.flags & dns::kFlagTc);
  EXPECT_EQ(tcp.answers.size(), 60u);
}

}  // namespace
}  // namespace berth::network
