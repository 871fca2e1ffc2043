#include "network/dns_responder.h"

namespace berth::network {

namespace {

using dns::Query;
using dns::Rcode;
using dns::ResourceRecord;

size_t max_size(const Query& q, DnsTransport transport) {
  return transport == DnsTransport::kTcp ? 65535 : q.udp_size;
}

DnsDecision reply(std::vector<uint8_t> bytes) {
  DnsDecision d;
  d.kind = DnsDecision::Kind::kReply;
  d.reply = std::move(bytes);
  return d;
}

std::vector<ResourceRecord> address_answers(const Query& q, DnsAddresses addrs, std::mt19937& rng) {
  shuffle_addresses(addrs, rng);
  std::vector<ResourceRecord> out;
  bool any = q.question.type == dns::kTypeAny;
  if (q.question.type == dns::kTypeA || any)
    for (auto a : addrs.ipv4) out.push_back(dns::a_record(q.question.name, a, kDnsRecordTtl));
  if (q.question.type == dns::kTypeAaaa || any)
    for (const auto& a : addrs.ipv6)
      out.push_back(dns::aaaa_record(q.question.name, a, kDnsRecordTtl));
  return out;
}

// An answer from the store, or nullopt when the store does not know the name.
std::optional<DnsDecision> answer_locally(const DnsRecords& records, const Query& q,
                                          const DnsScope& scope, DnsTransport transport,
                                          std::mt19937& rng) {
  size_t limit = max_size(q, transport);
  if (q.question.type == dns::kTypePtr) {
    if (auto name = records.lookup_ptr(q.question.name, scope)) {
      auto rr = dns::ptr_record(q.question.name, *name, kDnsRecordTtl);
      return reply(dns::build_response(q, Rcode::kNoError, {rr}, limit));
    }
    if (records.owns_reverse(q.question.name, scope))
      return reply(dns::build_response(q, Rcode::kNxDomain, {}, limit));
    return std::nullopt;
  }
  auto addrs = records.lookup(q.question.name, scope);
  if (!addrs) return std::nullopt;
  return reply(dns::build_response(q, Rcode::kNoError, address_answers(q, *addrs, rng), limit));
}

}  // namespace

DnsDecision decide(const DnsRecords& records, std::span<const uint8_t> packet, Ipv4Address source,
                   std::optional<Ipv4Address> local, DnsTransport transport, std::mt19937& rng) {
  auto parsed = dns::parse_query(packet);
  switch (parsed.status) {
    case dns::QueryStatus::kDrop:
      return {};
    case dns::QueryStatus::kFormErr:
      return reply(dns::build_error(parsed.query.header, Rcode::kFormErr));
    case dns::QueryStatus::kNotImp:
      return reply(dns::build_error(parsed.query.header, Rcode::kNotImp));
    case dns::QueryStatus::kOk:
      break;
  }
  const Query& q = parsed.query;
  DnsScope scope = records.scope_for(source, local);
  if (scope.networks.empty())
    return reply(dns::build_response(q, Rcode::kRefused, {}, max_size(q, transport), false));
  if (q.question.klass == dns::kClassIn) {
    if (auto d = answer_locally(records, q, scope, transport, rng)) return std::move(*d);
  }
  if (!scope.may_forward)
    return reply(dns::build_response(q, Rcode::kNxDomain, {}, max_size(q, transport)));
  if (scope.upstreams.empty()) return reply(forward_failure(q));
  DnsDecision d;
  d.kind = DnsDecision::Kind::kForward;
  d.upstreams = scope.upstreams;
  d.query = q;
  return d;
}

std::vector<uint8_t> forward_failure(const dns::Query& query) {
  return dns::build_response(query, Rcode::kServFail, {}, dns::kClassicUdpSize, false);
}

}  // namespace berth::network
