// The embedded DNS server's decision for one incoming packet, kept apart from the sockets
// (the netavark/aardvark split): parse it, find who asks, answer from the record store, or
// say that it must go to the upstream resolvers. Pure, so every answer shape is unit-tested.
#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <span>
#include <vector>

#include "network/dns_message.h"
#include "network/dns_records.h"

namespace berth::network {

// TTL of berth's own answers: short, because a restarted container may get another address.
constexpr uint32_t kDnsRecordTtl = 60;

struct DnsDecision {
  enum class Kind { kDrop, kReply, kForward };
  Kind kind = Kind::kDrop;
  std::vector<uint8_t> reply;          // kReply: the response to send
  std::vector<DnsUpstream> upstreams;  // kForward: try in order, relay the first answer
  dns::Query query;                    // kForward: the parsed query (its id, question)
};

enum class DnsTransport { kUdp, kTcp };

// Decides what to do with `packet`, received on `local` from `source`.
// * not a query or unreadable header: drop; bad question: FORMERR; other opcodes: NOTIMP;
// * a name of the asker's networks: A/AAAA/ANY answers (A records shuffled with rng; an
//   IPv4-only name answers AAAA with an empty NOERROR); other types: empty NOERROR;
// * a PTR for a container address on the asker's networks: its name; for another address in
//   their subnets: NXDOMAIN;
// * anything else: forward when the asker has a non-internal network and upstreams exist,
//   NXDOMAIN on internal networks, SERVFAIL with no upstream; REFUSED for an asker with no
//   network at all.
// Over UDP an answer larger than the client's size is sent empty with TC set.
DnsDecision decide(const DnsRecords& records, std::span<const uint8_t> packet, Ipv4Address source,
                   std::optional<Ipv4Address> local, DnsTransport transport, std::mt19937& rng);

// A SERVFAIL for a forwarded query whose upstreams all failed or timed out.
std::vector<uint8_t> forward_failure(const dns::Query& query);

}  // namespace berth::network
