#include "network/dns_message.h"

#include <gtest/gtest.h>

#include <map>
#include <random>

namespace berth::network::dns {
namespace {

using Bytes = std::vector<uint8_t>;

// A query for `name` of `type`, optionally with an EDNS0 OPT record advertising udp_size.
Bytes make_query(const std::string& name, uint16_t type, uint16_t id = 0x1234, int edns_size = -1) {
  Bytes q = {static_cast<uint8_t>(id >> 8),
             static_cast<uint8_t>(id),
             0x01,
             0x00,
             0,
             1,
             0,
             0,
             0,
             0,
             0,
             static_cast<uint8_t>(edns_size >= 0 ? 1 : 0)};
  EXPECT_TRUE(encode_name(name, q));
  q.insert(q.end(), {static_cast<uint8_t>(type >> 8), static_cast<uint8_t>(type), 0, 1});
  if (edns_size >= 0)
    q.insert(q.end(), {0, 0, 41, static_cast<uint8_t>(edns_size >> 8),
                       static_cast<uint8_t>(edns_size), 0, 0, 0, 0, 0, 0});
  return q;
}

TEST(DnsMessage, ParsesASimpleQuery) {
  auto p = parse_query(make_query("Web.Front", kTypeA));
  ASSERT_EQ(p.status, QueryStatus::kOk);
  EXPECT_EQ(p.query.header.id, 0x1234);
  EXPECT_EQ(p.query.question.name, "Web.Front");
  EXPECT_EQ(p.query.question.type, kTypeA);
  EXPECT_TRUE(p.query.recursion_desired());
  EXPECT_FALSE(p.query.has_edns);
  EXPECT_EQ(p.query.udp_size, kClassicUdpSize);
}

TEST(DnsMessage, ToleratesEdns0AndCapsItsSize) {
  auto p = parse_query(make_query("web", kTypeA, 1, 4096));
  ASSERT_EQ(p.status, QueryStatus::kOk);
  EXPECT_TRUE(p.query.has_edns);
  EXPECT_EQ(p.query.udp_size, kEdnsUdpSize);
  EXPECT_EQ(parse_query(make_query("web", kTypeA, 1, 100)).query.udp_size, kClassicUdpSize);
}

TEST(DnsMessage, ClampsTheForwardedPayloadSize) {
  auto q = make_query("web", kTypeA, 1, 65000);
  auto p = parse_query(q);
  ASSERT_TRUE(p.query.has_edns);
  clamp_udp_size(p.query, q);
  auto again = parse_message(q);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->additional[0].klass, kEdnsUdpSize);
  auto small = make_query("web", kTypeA, 1, 1000);
  auto before = small;
  clamp_udp_size(parse_query(small).query, small);
  EXPECT_EQ(small, before);
  auto plain = make_query("web", kTypeA);
  before = plain;
  clamp_udp_size(parse_query(plain).query, plain);
  EXPECT_EQ(plain, before);
}

TEST(DnsMessage, TwoOptRecordsAreFormErr) {
  auto q = make_query("web", kTypeA, 1, 1232);
  q[11] = 2;
  q.insert(q.end(), {0, 0, 41, 4, 0, 0, 0, 0, 0, 0, 0});
  EXPECT_EQ(parse_query(q).status, QueryStatus::kFormErr);
}

TEST(DnsMessage, ClassifiesNonQueries) {
  EXPECT_EQ(parse_query(Bytes{1, 2, 3}).status, QueryStatus::kDrop);
  auto response = make_query("web", kTypeA);
  response[2] |= 0x80;
  EXPECT_EQ(parse_query(response).status, QueryStatus::kDrop);
  auto update = make_query("web", kTypeA);
  update[2] = 5 << 3;
  EXPECT_EQ(parse_query(update).status, QueryStatus::kNotImp);
  auto two = make_query("web", kTypeA);
  two[5] = 2;
  EXPECT_EQ(parse_query(two).status, QueryStatus::kFormErr);
  Bytes header_only = {0, 7, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0};
  auto p = parse_query(header_only);
  EXPECT_EQ(p.status, QueryStatus::kFormErr);
  EXPECT_EQ(p.query.header.id, 7);
}

TEST(DnsMessage, QueryWithAnswerRecordsIsFormErr) {
  auto q = make_query("web", kTypeA);
  q[7] = 1;
  q.insert(q.end(), {0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 1, 2, 3, 4});
  EXPECT_TRUE(parse_message(q));
  EXPECT_EQ(parse_query(q).status, QueryStatus::kFormErr);
  auto many_additional = make_query("web", kTypeA);
  many_additional[11] = 5;
  EXPECT_EQ(parse_query(many_additional).status, QueryStatus::kFormErr);
}

TEST(DnsMessage, EveryTruncationIsRejected) {
  auto q = make_query("a.long.name.example", kTypeA, 9, 1232);
  for (size_t n = 0; n < q.size(); ++n) {
    Bytes cut(q.begin(), q.begin() + static_cast<ptrdiff_t>(n));
    EXPECT_NE(parse_query(cut).status, QueryStatus::kOk) << n;
  }
  EXPECT_EQ(parse_query(q).status, QueryStatus::kOk);
}

TEST(DnsMessage, FollowsBackwardCompressionPointers) {
  // "web.front" at 12, then a name "x" + pointer to "front" (offset 16).
  Bytes m = {0, 1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0};
  encode_name("web.front", m);
  m.insert(m.end(), {0, 1, 0, 1});
  m.insert(m.end(), {1, 'x', 0xC0, 16, 0, 1, 0, 1});
  auto msg = parse_message(m);
  ASSERT_TRUE(msg);
  ASSERT_EQ(msg->questions.size(), 2u);
  EXPECT_EQ(msg->questions[1].name, "x.front");
}

TEST(DnsMessage, RefusesPointerLoops) {
  Bytes self = {0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 12, 0, 1, 0, 1};
  EXPECT_FALSE(parse_message(self));
  Bytes forward = {0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 14, 1, 'a', 0, 0, 1, 0, 1};
  EXPECT_FALSE(parse_message(forward));
  // a → b → a: "1 a ptr(14)" at 12, "ptr(12)" at 16; the second name starts at 16.
  Bytes pingpong = {0, 1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 1, 'a', 0xC0, 16, 0xC0, 12, 0, 1, 0, 1};
  EXPECT_FALSE(parse_message(pingpong));
}

TEST(DnsMessage, RefusesOverlongNamesAndBadLabelTypes) {
  Bytes m = {0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0};
  for (int i = 0; i < 5; ++i) {
    m.push_back(63);
    m.insert(m.end(), 63, 'a');
  }
  m.insert(m.end(), {0, 0, 1, 0, 1});
  EXPECT_FALSE(parse_message(m));
  Bytes ext = {0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0x41, 'a', 0, 0, 1, 0, 1};
  EXPECT_FALSE(parse_message(ext));
  Bytes label_past_end = {0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 50, 'a', 'b'};
  EXPECT_FALSE(parse_message(label_past_end));
}

TEST(DnsMessage, RefusesRdataPastTheEnd) {
  auto q = make_query("web", kTypeA);
  q[7] = 1;  // one answer
  q.insert(q.end(), {0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0xFF, 0xFF, 1, 2});
  EXPECT_FALSE(parse_message(q));
}

TEST(DnsMessage, KeepsDotsInsideLabelsDistinct) {
  Bytes m = {0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 3, 'a', '.', 'b', 0, 0, 1, 0, 1};
  auto p = parse_query(m);
  ASSERT_EQ(p.status, QueryStatus::kOk);
  EXPECT_EQ(p.query.question.name, "a\\.b");
  auto r = build_response(p.query, Rcode::kNxDomain, {}, 512);
  EXPECT_TRUE(std::equal(m.begin() + 12, m.end(), r.begin() + 12));
}

TEST(DnsMessage, EncodesNames) {
  Bytes out;
  EXPECT_TRUE(encode_name("a.bc.", out));
  EXPECT_EQ(out, (Bytes{1, 'a', 2, 'b', 'c', 0}));
  out.clear();
  EXPECT_TRUE(encode_name("", out));
  EXPECT_EQ(out, Bytes{0});
  EXPECT_FALSE(encode_name("a..b", out));
  EXPECT_FALSE(encode_name(std::string(64, 'x'), out));
  EXPECT_TRUE(equal_names("WeB.", "web"));
  EXPECT_FALSE(equal_names("web1", "web"));
}

TEST(DnsMessage, BuildsAnAnswerThatParsesBack) {
  auto p = parse_query(make_query("wEb", kTypeA, 77, 1232));
  ASSERT_EQ(p.status, QueryStatus::kOk);
  auto r = build_response(
      p.query, Rcode::kNoError,
      {a_record("web", Ipv4Address{0x0A500002}, 60), a_record("web", Ipv4Address{0x0A500003}, 60)},
      p.query.udp_size);
  auto m = parse_message(r);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->header.id, 77);
  EXPECT_TRUE(m->header.is_response());
  EXPECT_TRUE(m->header.flags & kFlagAa);
  EXPECT_TRUE(m->header.flags & kFlagRd);
  EXPECT_EQ(m->header.rcode(), Rcode::kNoError);
  EXPECT_EQ(m->questions[0].name, "wEb");  // case echoed as asked
  ASSERT_EQ(m->answers.size(), 2u);
  EXPECT_EQ(m->answers[0].name, "wEb");  // compressed to the question
  EXPECT_EQ(m->answers[0].rdata, (Bytes{10, 80, 0, 2}));
  EXPECT_EQ(m->answers[0].ttl, 60u);
  ASSERT_EQ(m->additional.size(), 1u);
  EXPECT_EQ(m->additional[0].type, kTypeOpt);
}

TEST(DnsMessage, BuildsPtrAndAaaa) {
  auto p = parse_query(make_query("2.0.80.10.in-addr.arpa", kTypePtr));
  auto r = build_response(p.query, Rcode::kNoError,
                          {ptr_record(p.query.question.name, "proj-web-1", 60)}, 512);
  auto m = parse_message(r);
  ASSERT_TRUE(m);
  ASSERT_EQ(m->answers.size(), 1u);
  EXPECT_EQ(rdata_name(r, m->answers[0]), "proj-web-1");
  auto six = parse_query(make_query("web", kTypeAaaa));
  auto r6 = build_response(six.query, Rcode::kNoError,
                           {aaaa_record("web", *parse_ipv6("fd00::2"), 60)}, 512);
  auto m6 = parse_message(r6);
  ASSERT_TRUE(m6);
  EXPECT_EQ(m6->answers[0].rdata.size(), 16u);
}

TEST(DnsMessage, SetsTcWhenTheAnswerDoesNotFit) {
  auto p = parse_query(make_query("svc", kTypeA));
  std::vector<ResourceRecord> many;
  for (uint32_t i = 0; i < 40; ++i)
    many.push_back(a_record("svc", Ipv4Address{0x0A500000 + i}, 60));
  auto r = build_response(p.query, Rcode::kNoError, many, 512);
  EXPECT_LE(r.size(), 512u);
  auto m = parse_message(r);
  ASSERT_TRUE(m);
  EXPECT_TRUE(m->header.flags & kFlagTc);
  EXPECT_TRUE(m->answers.empty());
  auto full = parse_message(build_response(p.query, Rcode::kNoError, many, 65535));
  EXPECT_FALSE(full->header.flags & kFlagTc);
  EXPECT_EQ(full->answers.size(), 40u);
}

TEST(DnsMessage, ErrorEchoesIdAndRd) {
  Header h;
  h.id = 0xBEEF;
  h.flags = kFlagRd;
  auto r = build_error(h, Rcode::kFormErr);
  auto m = parse_message(r);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->header.id, 0xBEEF);
  EXPECT_EQ(m->header.rcode(), Rcode::kFormErr);
  EXPECT_TRUE(m->header.flags & kFlagRd);
}

// Hostile input: every message a container can send gets a classification that matches its
// header, and whatever the server would answer is itself a well-formed DNS message with the
// asker's id. Half the inputs are valid queries with a few bytes flipped, so that every branch
// (answered, FORMERR, NOTIMP, dropped) is reached, not only the first length check.
TEST(DnsMessage, SurvivesRandomBytes) {
  std::mt19937 rng(42);
  const Bytes seed = make_query("web.example", kTypeA, 0x4242, 1232);
  std::map<QueryStatus, int> seen;
  for (int i = 0; i < 20000; ++i) {
    Bytes b;
    if (i % 2) {
      b = seed;
      for (int flips = 1 + rng() % 3; flips > 0; --flips) b[rng() % b.size()] = rng();
      b.resize(b.size() - rng() % 4);
    } else {
      b.resize(rng() % 80);
      for (auto& x : b) x = static_cast<uint8_t>(rng());
    }
    const ParsedQuery p = parse_query(b);
    ++seen[p.status];
    if (b.size() < kHeaderSize || (b[2] & 0x80)) {
      EXPECT_EQ(p.status, QueryStatus::kDrop) << "input " << i;
      continue;
    }
    ASSERT_NE(p.status, QueryStatus::kDrop) << "input " << i << ": a readable query is answered";
    const uint16_t id = static_cast<uint16_t>(b[0] << 8 | b[1]);
    EXPECT_EQ(p.query.header.id, id);
    const Bytes reply =
        p.status == QueryStatus::kOk
            ? build_response(p.query, Rcode::kNoError, {}, p.query.udp_size)
            : build_error(p.query.header,
                          p.status == QueryStatus::kNotImp ? Rcode::kNotImp : Rcode::kFormErr);
    auto m = parse_message(reply);
    ASSERT_TRUE(m) << "input " << i << ": the reply does not parse";
    EXPECT_EQ(m->header.id, id);
    EXPECT_TRUE(m->header.is_response());
    if (p.status == QueryStatus::kNotImp) {
      EXPECT_NE(b[2] & 0x78, 0) << "input " << i;
    }
  }
  EXPECT_GT(seen[QueryStatus::kOk], 1000);
  EXPECT_GT(seen[QueryStatus::kFormErr], 100);
  EXPECT_GT(seen[QueryStatus::kNotImp], 100);
  EXPECT_GT(seen[QueryStatus::kDrop], 100);
}

}  // namespace
}  // namespace berth::network::dns
