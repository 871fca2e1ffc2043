#include "network/dns_records.h"

#include <gtest/gtest.h>

#include <set>

#include "common/error.h"

namespace berth::network {
namespace {

Ipv4Address ip(const char* s) {
  return parse_ipv4_or_throw(s);
}

constexpr const char* kTable = R"({
  "upstreams": ["10.255.255.53", "127.0.0.1:5353"],
  "networks": [
    {"name": "front", "subnet": "10.80.0.0/24", "gateway": "10.80.0.1"},
    {"name": "back", "subnet": "10.80.1.0/24", "gateway": "10.80.1.1", "internal": true},
    {"name": "other", "subnet": "10.80.2.0/24", "gateway": "10.80.2.1"}
  ],
  "containers": [
    {"id": "aaaaaaaaaaaa1111", "name": "proj-web-1", "hostname": "WebHost",
     "endpoints": [{"network": "front", "ipv4": "10.80.0.2", "aliases": ["web"]},
                   {"network": "back", "ipv4": "10.80.1.2", "aliases": ["web"]}]},
    {"id": "bbbbbbbbbbbb2222", "name": "proj-web-2",
     "endpoints": [{"network": "front", "ipv4": "10.80.0.3", "ipv6": "fd00::3",
                    "aliases": ["web"]}]},
    {"id": "cccccccccccc3333", "name": "proj-db-1", "dns": ["192.0.2.53"],
     "endpoints": [{"network": "back", "ipv4": "10.80.1.3", "aliases": ["db"]}]},
    {"id": "dddddddddddd4444", "name": "stranger",
     "endpoints": [{"network": "other", "ipv4": "10.80.2.2"}]}
  ]
})";

class DnsRecordsTest : public ::testing::Test {
 protected:
  DnsRecords r = DnsRecords::parse(kTable, "table.json");
  DnsScope web1 = r.scope_for(ip("10.80.0.2"), std::nullopt);
  DnsScope db = r.scope_for(ip("10.80.1.3"), std::nullopt);
  DnsScope stranger = r.scope_for(ip("10.80.2.2"), std::nullopt);
};

TEST_F(DnsRecordsTest, ScopeIsTheAskersNetworks) {
  EXPECT_EQ(web1.networks, (std::vector<size_t>{0, 1}));
  EXPECT_TRUE(web1.may_forward);
  EXPECT_EQ(web1.upstreams.size(), 2u);
  EXPECT_EQ(web1.upstreams[1], (DnsUpstream{"127.0.0.1", 5353}));
  EXPECT_EQ(db.networks, (std::vector<size_t>{1}));
  EXPECT_FALSE(db.may_forward);
  EXPECT_EQ(db.upstreams, (std::vector<DnsUpstream>{{"192.0.2.53", 53}}));
}

TEST_F(DnsRecordsTest, UnknownSourceSeesTheNetworkItAskedOn) {
  auto s = r.scope_for(ip("10.80.0.99"), ip("10.80.0.1"));
  EXPECT_EQ(s.networks, (std::vector<size_t>{0}));
  auto none = r.scope_for(ip("192.0.2.9"), ip("127.0.0.1"));
  EXPECT_TRUE(none.networks.empty());
  EXPECT_FALSE(none.may_forward);
}

TEST_F(DnsRecordsTest, ResolvesNamesOfAllKinds) {
  for (const char* name : {"proj-web-1", "PROJ-WEB-1.", "webhost", "aaaaaaaaaaaa", "web"}) {
    auto a = r.lookup(name, web1);
    ASSERT_TRUE(a) << name;
    EXPECT_NE(std::find(a->ipv4.begin(), a->ipv4.end(), ip("10.80.0.2")), a->ipv4.end()) << name;
  }
  EXPECT_FALSE(r.lookup("aaaaaaaaaaaa1111", web1));  // only the short id
  EXPECT_FALSE(r.lookup("nosuch", web1));
}

TEST_F(DnsRecordsTest, ScaledServiceHasEveryReplica) {
  auto a = r.lookup("web", stranger);
  EXPECT_FALSE(a);
  auto w = r.lookup("web", r.scope_for(ip("10.80.0.3"), std::nullopt));
  ASSERT_TRUE(w);
  EXPECT_EQ(w->ipv4, (std::vector<Ipv4Address>{ip("10.80.0.2"), ip("10.80.0.3")}));
  EXPECT_EQ(w->ipv6.size(), 1u);
}

TEST_F(DnsRecordsTest, NamesAreScopedToTheAskersNetworks) {
  EXPECT_FALSE(r.lookup("proj-db-1", stranger));
  EXPECT_FALSE(r.lookup("stranger", web1));
  // db sees web only through back: the back address.
  auto w = r.lookup("proj-web-1", db);
  ASSERT_TRUE(w);
  EXPECT_EQ(w->ipv4, (std::vector<Ipv4Address>{ip("10.80.1.2")}));
}

TEST_F(DnsRecordsTest, ArrivalNetworkAnswersFirst) {
  auto via_back = r.scope_for(ip("10.80.0.2"), ip("10.80.1.1"));
  EXPECT_EQ(via_back.networks, (std::vector<size_t>{1, 0}));
  auto self = r.lookup("proj-web-1", via_back);
  ASSERT_TRUE(self);
  EXPECT_EQ(self->ipv4, (std::vector<Ipv4Address>{ip("10.80.1.2")}));
  auto via_front = r.lookup("proj-web-1", r.scope_for(ip("10.80.0.2"), ip("10.80.0.1")));
  EXPECT_EQ(via_front->ipv4, (std::vector<Ipv4Address>{ip("10.80.0.2")}));
}

TEST_F(DnsRecordsTest, NameDotNetworkPicksTheNetwork) {
  auto w = r.lookup("web.Back.", web1);
  ASSERT_TRUE(w);
  EXPECT_EQ(w->ipv4, (std::vector<Ipv4Address>{ip("10.80.1.2")}));
  EXPECT_FALSE(r.lookup("web.other", web1));
}

TEST_F(DnsRecordsTest, ReverseLookups) {
  EXPECT_EQ(r.lookup_ptr("2.0.80.10.in-addr.arpa", web1), "proj-web-1");
  EXPECT_EQ(r.lookup_ptr("3.1.80.10.IN-ADDR.ARPA.", web1), "proj-db-1");
  EXPECT_FALSE(r.lookup_ptr("2.2.80.10.in-addr.arpa", web1));  // other network
  EXPECT_TRUE(r.owns_reverse("99.0.80.10.in-addr.arpa", web1));
  EXPECT_FALSE(r.owns_reverse("1.1.1.1.in-addr.arpa", web1));
  EXPECT_EQ(parse_reverse_name("4.3.2.1.in-addr.arpa"), ip("1.2.3.4"));
  EXPECT_FALSE(parse_reverse_name("3.2.1.in-addr.arpa"));
  EXPECT_FALSE(parse_reverse_name("x.3.2.1.in-addr.arpa"));
  EXPECT_FALSE(parse_reverse_name("4.3.2.1.ip6.arpa"));
}

TEST_F(DnsRecordsTest, ListsGateways) {
  EXPECT_EQ(r.gateways(),
            (std::vector<Ipv4Address>{ip("10.80.0.1"), ip("10.80.1.1"), ip("10.80.2.1")}));
}

TEST(DnsRecords, ShuffleSpreadsOrders) {
  DnsAddresses a;
  for (uint32_t i = 0; i < 4; ++i) a.ipv4.push_back(Ipv4Address{i});
  std::mt19937 rng(1);
  std::set<std::vector<Ipv4Address>> orders;
  for (int i = 0; i < 50; ++i) {
    auto copy = a;
    shuffle_addresses(copy, rng);
    orders.insert(copy.ipv4);
  }
  EXPECT_GT(orders.size(), 5u);
}

TEST(DnsRecords, EmptyTableIsFine) {
  auto r = DnsRecords::parse("{}", "t");
  EXPECT_TRUE(r.networks().empty());
  EXPECT_FALSE(r.lookup("x", r.scope_for(Ipv4Address{1}, std::nullopt)));
}

TEST(DnsRecords, BuildsFromATableInCode) {
  DnsTable t;
  t.networks.push_back({"n", std::nullopt, ip("10.80.0.1"), false});
  t.containers.push_back({"0123456789abcdef", "c", "h", {}, {{"n", ip("10.80.0.2"), {}, {"a"}}}});
  DnsRecords r(t);
  auto scope = r.scope_for(ip("10.80.0.2"), std::nullopt);
  for (const char* name : {"c", "h", "a", "0123456789ab"})
    EXPECT_TRUE(r.lookup(name, scope)) << name;
  t.containers[0].endpoints[0].network = "zz";
  EXPECT_THROW(DnsRecords{t}, Error);
}

}  // namespace
}  // namespace berth::network
