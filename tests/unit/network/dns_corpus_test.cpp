// Replays the DNS fuzzer's seed corpus (tests/fuzz/network/corpus) and hostile packet shapes
// through the codec and the responder in every unit run, so the properties the fuzzer checks
// hold even where clang's libFuzzer is not built.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "network/dns_message.h"
#include "network/dns_responder.h"

namespace berth::network {
namespace {

using Bytes = std::vector<uint8_t>;

const DnsRecords& records() {
  static const DnsRecords r = DnsRecords::parse(R"({
    "upstreams": ["127.0.0.1:5353"],
    "networks": [{"name": "front", "subnet": "10.80.0.0/24", "gateway": "10.80.0.1"}],
    "containers": [{"id": "aaaaaaaaaaaa1111", "name": "web1",
       "endpoints": [{"network": "front", "ipv4": "10.80.0.2", "aliases": ["web"]}]}]})",
                                                "t");
  return r;
}

// What the fuzzer asserts: no crash, and every reply is a parseable response within limits.
void replay(const Bytes& packet) {
  std::mt19937 rng(1);
  for (auto t : {DnsTransport::kUdp, DnsTransport::kTcp}) {
    auto d = decide(records(), packet, Ipv4Address{0x0A500002}, Ipv4Address{0x0A500001}, t, rng);
    if (d.kind != DnsDecision::Kind::kReply) continue;
    auto m = dns::parse_message(d.reply);
    ASSERT_TRUE(m);
    EXPECT_TRUE(m->header.is_response());
    if (t == DnsTransport::kUdp) {
      EXPECT_LE(d.reply.size(), dns::kEdnsUdpSize);
    }
  }
}

TEST(DnsCorpus, SeedCorpusReplays) {
  std::filesystem::path dir = std::filesystem::path(BERTH_SOURCE_DIR) / "tests/fuzz/network/corpus";
  int files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(e.path(), std::ios::binary);
    Bytes packet((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    SCOPED_TRACE(e.path().filename().string());
    replay(packet);
    ++files;
  }
  EXPECT_GE(files, 10);
}

TEST(DnsCorpus, OversizedPacketWithHugeCountsIsRejectedQuickly) {
  // 65535 bytes claiming 65535 records of each kind, filled with pointers to the header.
  Bytes packet(65535, 0);
  packet[2] = 0x01;
  for (int i = 4; i < 12; ++i) packet[i] = 0xFF;
  for (size_t i = 12; i + 1 < packet.size(); i += 2) {
    packet[i] = 0xC0;
    packet[i + 1] = 0x00;
  }
  EXPECT_FALSE(dns::parse_message(packet));
  EXPECT_EQ(dns::parse_query(packet).status, dns::QueryStatus::kFormErr);
  replay(packet);
}

TEST(DnsCorpus, PointerChainsAreBounded) {
  // Each name points to the one before it: legal up to 127 jumps, refused beyond, so that a
  // packet of many names pointing at a long chain cannot cost a walk each.
  auto chain = [](size_t jumps) {
    Bytes packet = {0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 'a', 0};
    for (size_t prev = 12, i = 0; i < jumps; ++i, prev = packet.size() - 2) {
      packet.push_back(static_cast<uint8_t>(0xC0 | (prev >> 8)));
      packet.push_back(static_cast<uint8_t>(prev));
    }
    return packet;
  };
  for (size_t jumps : {1, 127, 128, 30000}) {
    auto packet = chain(jumps);
    size_t offset = packet.size() - 2;
    std::string name;
    EXPECT_EQ(dns::read_name(packet, offset, name), jumps <= 127) << jumps;
    replay(packet);
  }
}

TEST(DnsCorpus, ManyNamesOnALongChainAreCheap) {
  // One record whose RDATA holds a 126-jump chain, then 5000 records named by a pointer to the
  // chain's end: 127 jumps each, the most allowed, and still cheap.
  Bytes packet = {0, 1, 1, 0, 0, 1, 0x13, 0x89, 0, 0, 0, 0, 1, 'a', 0, 0, 1, 0, 1};
  packet.insert(packet.end(), {0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 0, 0, 252});
  size_t prev = 12;
  for (int i = 0; i < 126; ++i, prev = packet.size() - 2) {
    packet.push_back(static_cast<uint8_t>(0xC0 | (prev >> 8)));
    packet.push_back(static_cast<uint8_t>(prev));
  }
  for (int i = 0; i < 5000; ++i) {
    packet.insert(packet.end(), {static_cast<uint8_t>(0xC0 | (prev >> 8)),
                                 static_cast<uint8_t>(prev), 0, 1, 0, 1, 0, 0, 0, 0, 0, 0});
  }
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 10; ++i) {
    auto m = dns::parse_message(packet);
    ASSERT_TRUE(m);
    EXPECT_EQ(m->answers.back().name, "a");
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

TEST(DnsCorpus, LabelsJustUnderAndOverTheLimit) {
  auto with_labels = [](int n63, int last) {
    Bytes p = {0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0};
    for (int i = 0; i < n63; ++i) {
      p.push_back(63);
      p.insert(p.end(), 63, 'a');
    }
    p.push_back(static_cast<uint8_t>(last));
    p.insert(p.end(), static_cast<size_t>(last), 'b');
    p.insert(p.end(), {0, 0, 1, 0, 1});
    return p;
  };
  // 3*64 + 62 + 1 (root) = 255 bytes: the longest name.
  EXPECT_EQ(dns::parse_query(with_labels(3, 61)).status, dns::QueryStatus::kOk);
  EXPECT_EQ(dns::parse_query(with_labels(3, 62)).status, dns::QueryStatus::kFormErr);
  replay(with_labels(3, 61));
}

}  // namespace
}  // namespace berth::network
