// DNS wire format (RFC 1035 §4, EDNS0 RFC 6891): a parser for whole messages and a builder
// for the embedded DNS server's answers. It faces packets from any container, so every read is
// bounds-checked, compression pointers must point strictly backwards (no loops) and be at most
// 127 per name (no quadratic walks), names are at most 255 bytes, and a malformed message is
// rejected as a whole. Pure: bytes in, values out;
// no sockets, no allocation beyond the message's own size. Fuzzed by
// tests/fuzz/network/dns_message_fuzz.cpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "network/cidr.h"

namespace berth::network::dns {

constexpr uint16_t kTypeA = 1;
constexpr uint16_t kTypeCname = 5;
constexpr uint16_t kTypePtr = 12;
constexpr uint16_t kTypeAaaa = 28;
constexpr uint16_t kTypeOpt = 41;
constexpr uint16_t kTypeAny = 255;
constexpr uint16_t kClassIn = 1;

// Classic UDP limit without EDNS, and the EDNS payload size berth advertises and honours at
// most (the DNS flag day 2020 value, which avoids IP fragmentation).
constexpr size_t kClassicUdpSize = 512;
constexpr size_t kEdnsUdpSize = 1232;
constexpr size_t kHeaderSize = 12;
constexpr size_t kMaxNameLength = 255;       // wire length, including length bytes and the root
constexpr int kMaxCompressionJumps = 127;    // one per label of the longest possible name
constexpr uint16_t kMaxQueryAdditional = 4;  // OPT, and room for TSIG/SIG(0) we ignore

enum class Rcode : uint8_t {
  kNoError = 0,
  kFormErr = 1,
  kServFail = 2,
  kNxDomain = 3,
  kNotImp = 4,
  kRefused = 5,
};

// Header flag bits (RFC 1035 §4.1.1).
constexpr uint16_t kFlagQr = 0x8000;
constexpr uint16_t kFlagAa = 0x0400;
constexpr uint16_t kFlagTc = 0x0200;
constexpr uint16_t kFlagRd = 0x0100;
constexpr uint16_t kFlagRa = 0x0080;

struct Header {
  uint16_t id = 0;
  uint16_t flags = 0;
  uint16_t qdcount = 0, ancount = 0, nscount = 0, arcount = 0;

  bool is_response() const { return flags & kFlagQr; }
  uint8_t opcode() const { return (flags >> 11) & 0xF; }
  Rcode rcode() const { return static_cast<Rcode>(flags & 0xF); }
};

// A domain name in presentation form: labels joined by '.', no trailing dot, "" for the root;
// a '.' or '\' inside a label is escaped with '\'. Case is kept as sent (0x20 randomisation);
// compare with equal_names().
struct Question {
  std::string name;
  uint16_t type = 0;
  uint16_t klass = 0;
};

struct ResourceRecord {
  std::string name;
  uint16_t type = 0;
  uint16_t klass = kClassIn;
  uint32_t ttl = 0;
  // Uncompressed RDATA for records built here; for parsed records the bytes as sent (a name in
  // them may hold compression pointers: use rdata_name()).
  std::vector<uint8_t> rdata;
  size_t rdata_offset = 0;  // where rdata starts in the parsed message
};

struct Message {
  Header header;
  std::vector<Question> questions;
  std::vector<ResourceRecord> answers, authority, additional;
};

// Parses a whole message. nullopt when it is shorter than a header, any section runs past the
// end, a name is malformed (bad label type, loop, > 255 bytes) or an RDATA length overruns.
// Bytes after the last record are ignored.
std::optional<Message> parse_message(std::span<const uint8_t> msg);

// Reads the (possibly compressed) name at `offset`; advances offset past it. False when
// malformed. Exposed for rdata names and tests.
bool read_name(std::span<const uint8_t> msg, size_t& offset, std::string& out);

// The name inside a parsed PTR/CNAME record's RDATA, decompressed against `msg`.
std::optional<std::string> rdata_name(std::span<const uint8_t> msg, const ResourceRecord& rr);

// Appends `name` in uncompressed wire form. False (nothing appended) when a label is empty or
// longer than 63 bytes, or the name longer than 255.
bool encode_name(std::string_view name, std::vector<uint8_t>& out);

// Case-insensitive (ASCII only, RFC 4343) comparison, ignoring one trailing dot on either side.
bool equal_names(std::string_view a, std::string_view b);

// A query the server should answer.
struct Query {
  Header header;
  Question question;
  bool has_edns = false;
  size_t udp_size = kClassicUdpSize;  // what the client accepts over UDP, capped at kEdnsUdpSize
  size_t opt_class_offset = 0;        // where the OPT record's payload size is, with has_edns

  bool recursion_desired() const { return header.flags & kFlagRd; }
};

enum class QueryStatus {
  kOk,
  kDrop,     // not worth an answer: shorter than a header, or a response (QR set)
  kFormErr,  // header is readable (id known) but the rest is not, or the counts are not
             // those of a query: 1 question, no answer/authority, few additional records
  kNotImp,   // opcode other than QUERY
};

struct ParsedQuery {
  QueryStatus status = QueryStatus::kDrop;
  Query query;  // header always set unless kDrop; question set only for kOk
};

// Classifies and parses an incoming query, tolerating an EDNS0 OPT record in the additional
// section (several OPT records are a FORMERR, RFC 6891 §6.1.1).
ParsedQuery parse_query(std::span<const uint8_t> msg);

// Records for answers. The builder compresses an owner name equal to the question's.
ResourceRecord a_record(std::string_view name, Ipv4Address addr, uint32_t ttl);
ResourceRecord aaaa_record(std::string_view name, const Ipv6Address& addr, uint32_t ttl);
// Throws nothing: an unencodable target yields an empty rdata, which build_response skips.
ResourceRecord ptr_record(std::string_view name, std::string_view target, uint32_t ttl);

// Builds the response to `query`: same id, opcode, RD and question, QR and RA set, AA when
// `authoritative`, the given rcode and answers, and an OPT record if the query had one. When the
// result would exceed max_size (the client's UDP size; 65535 over TCP) the answers are left out
// and TC is set, so the client retries over TCP.
std::vector<uint8_t> build_response(const Query& query, Rcode rcode,
                                    const std::vector<ResourceRecord>& answers, size_t max_size,
                                    bool authoritative = true);

// Lowers the EDNS payload size in `packet` (the bytes `query` was parsed from) to
// kEdnsUdpSize when it is larger, so that an upstream resolver answers within what berth
// itself accepts and relays. No-op without EDNS.
void clamp_udp_size(const Query& query, std::span<uint8_t> packet);

// A bare error response (FORMERR, NOTIMP, SERVFAIL, REFUSED) echoing the header's id, opcode
// and RD; used when the question could not be read.
std::vector<uint8_t> build_error(const Header& header, Rcode rcode);

}  // namespace berth::network::dns
