// libFuzzer target for the DNS wire codec and the responder that sits on it: whatever bytes a
// container sends, parsing must stay in bounds and terminate, and every reply berth builds must
// parse back as a well-formed response to the same question. Built by tests/fuzz/CMakeLists.txt
// (a libFuzzer binary with BERTH_FUZZ=ON, else a corpus replay); scripts/test.sh runs it.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <random>
#include <span>
#include <vector>

#include "network/dns_message.h"
#include "network/dns_responder.h"

namespace {

using namespace berth::network;

const DnsRecords& records() {
  static const DnsRecords r = DnsRecords::parse(R"({
    "upstreams": ["127.0.0.1:5353"],
    "networks": [
      {"name": "front", "subnet": "10.80.0.0/24", "gateway": "10.80.0.1"},
      {"name": "back", "subnet": "10.80.1.0/24", "gateway": "10.80.1.1", "internal": true}],
    "containers": [
      {"id": "aaaaaaaaaaaa1111", "name": "web1",
       "endpoints": [{"network": "front", "ipv4": "10.80.0.2", "ipv6": "fd00::2",
                      "aliases": ["web"]}]},
      {"id": "bbbbbbbbbbbb2222", "name": "db",
       "endpoints": [{"network": "back", "ipv4": "10.80.1.3"}]}]})",
                                                "fuzz");
  return r;
}

void check(bool ok) {
  if (!ok) std::abort();
}

void check_reply(const dns::ParsedQuery& q, const std::vector<uint8_t>& reply, size_t limit) {
  auto m = dns::parse_message(reply);
  check(m.has_value() && m->header.is_response() && reply.size() <= limit);
  if (q.status == dns::QueryStatus::kOk && m->questions.size() == 1)
    check(m->questions[0].name == q.query.question.name);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> packet(data, size);
  (void)dns::parse_message(packet);
  auto q = dns::parse_query(packet);
  if (q.status == dns::QueryStatus::kOk) {
    auto r = dns::build_response(q.query, dns::Rcode::kNoError,
                                 {dns::a_record(q.query.question.name, Ipv4Address{1}, 60)},
                                 q.query.udp_size);
    check_reply(q, r, q.query.udp_size);
    // What the forwarder sends upstream: still the same, parseable query.
    std::vector<uint8_t> copy(data, data + size);
    dns::clamp_udp_size(q.query, copy);
    auto again = dns::parse_query(copy);
    check(again.status == dns::QueryStatus::kOk &&
          again.query.question.name == q.query.question.name &&
          again.query.udp_size == q.query.udp_size);
  }
  static std::mt19937 rng(1);
  for (auto source : {0x0A500002u, 0x0A500103u, 0x7F000001u}) {
    for (auto transport : {DnsTransport::kUdp, DnsTransport::kTcp}) {
      auto d =
          decide(records(), packet, Ipv4Address{source}, Ipv4Address{0x0A500001}, transport, rng);
      if (d.kind == DnsDecision::Kind::kReply)
        check_reply(q, d.reply, transport == DnsTransport::kUdp ? dns::kEdnsUdpSize : 65535);
      if (d.kind == DnsDecision::Kind::kForward) check(!d.upstreams.empty());
    }
  }
  return 0;
}
