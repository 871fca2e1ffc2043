#include "network/dns_message.h"

#include <arpa/inet.h>

#include <algorithm>

namespace berth::network::dns {

namespace {

// Bounds-checked big-endian reader over one message.
class Reader {
 public:
  explicit Reader(std::span<const uint8_t> msg, size_t offset = 0) : msg_(msg), pos_(offset) {}
  bool u16(uint16_t& v) {
    if (msg_.size() < 2 || pos_ > msg_.size() - 2) return false;
    v = static_cast<uint16_t>(msg_[pos_] << 8 | msg_[pos_ + 1]);
    pos_ += 2;
    return true;
  }
  bool u32(uint32_t& v) {
    uint16_t hi = 0, lo = 0;
    if (!u16(hi) || !u16(lo)) return false;
    v = uint32_t{hi} << 16 | lo;
    return true;
  }
  bool name(std::string& out) { return read_name(msg_, pos_, out); }
  bool skip(size_t n) {
    if (n > msg_.size() - pos_) return false;
    pos_ += n;
    return true;
  }
  size_t pos() const { return pos_; }

 private:
  std::span<const uint8_t> msg_;
  size_t pos_;
};

void put16(std::vector<uint8_t>& out, uint16_t v) {
  out.push_back(static_cast<uint8_t>(v >> 8));
  out.push_back(static_cast<uint8_t>(v));
}

void put32(std::vector<uint8_t>& out, uint32_t v) {
  put16(out, static_cast<uint16_t>(v >> 16));
  put16(out, static_cast<uint16_t>(v));
}

void append_label(std::string& out, const uint8_t* p, size_t n) {
  if (!out.empty()) out += '.';
  for (size_t i = 0; i < n; ++i) {
    char c = static_cast<char>(p[i]);
    if (c == '.' || c == '\\') out += '\\';
    out += c;
  }
}

bool read_header(Reader& r, Header& h) {
  return r.u16(h.id) && r.u16(h.flags) && r.u16(h.qdcount) && r.u16(h.ancount) &&
         r.u16(h.nscount) && r.u16(h.arcount);
}

bool read_record(std::span<const uint8_t> msg, Reader& r, ResourceRecord& rr) {
  uint16_t rdlength = 0;
  if (!r.name(rr.name) || !r.u16(rr.type) || !r.u16(rr.klass) || !r.u32(rr.ttl) || !r.u16(rdlength))
    return false;
  rr.rdata_offset = r.pos();
  if (!r.skip(rdlength)) return false;
  rr.rdata.assign(msg.begin() + static_cast<ptrdiff_t>(rr.rdata_offset),
                  msg.begin() + static_cast<ptrdiff_t>(rr.rdata_offset + rdlength));
  return true;
}

bool read_section(std::span<const uint8_t> msg, Reader& r, uint16_t count,
                  std::vector<ResourceRecord>& out) {
  for (uint16_t i = 0; i < count; ++i) {
    ResourceRecord rr;
    if (!read_record(msg, r, rr)) return false;
    out.push_back(std::move(rr));
  }
  return true;
}

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string_view strip_dot(std::string_view s) {
  if (!s.empty() && s.back() == '.' && (s.size() < 2 || s[s.size() - 2] != '\\'))
    s.remove_suffix(1);
  return s;
}

void put_header(std::vector<uint8_t>& out, uint16_t id, uint16_t flags, uint16_t qd, uint16_t an,
                uint16_t ar) {
  put16(out, id);
  put16(out, flags);
  put16(out, qd);
  put16(out, an);
  put16(out, 0);
  put16(out, ar);
}

void put_opt(std::vector<uint8_t>& out) {
  out.push_back(0);  // root owner name
  put16(out, kTypeOpt);
  put16(out, static_cast<uint16_t>(kEdnsUdpSize));  // CLASS = our UDP payload size
  put32(out, 0);                                    // extended rcode 0, version 0, no DO
  put16(out, 0);                                    // no options
}

}  // namespace

bool read_name(std::span<const uint8_t> msg, size_t& offset, std::string& out) {
  out.clear();
  size_t pos = offset;
  size_t limit = offset;  // a pointer must land strictly before this, which ends any loop
  size_t wire_length = 1;
  // A real name has at most 127 labels, so it needs at most 127 jumps; a longer chain only
  // serves to make every name of a packet cost a walk over the whole packet.
  int jumps = 0;
  bool jumped = false;
  while (true) {
    if (pos >= msg.size()) return false;
    uint8_t len = msg[pos];
    if ((len & 0xC0) == 0xC0) {
      if (pos + 1 >= msg.size()) return false;
      size_t target = static_cast<size_t>(len & 0x3F) << 8 | msg[pos + 1];
      if (target >= limit || ++jumps > kMaxCompressionJumps) return false;
      if (!jumped) offset = pos + 2;
      jumped = true;
      limit = target;
      pos = target;
      continue;
    }
    if (len & 0xC0) return false;  // 0x40/0x80: extended label types (RFC 6891 §5) refused
    if (len == 0) break;
    wire_length += len + 1u;
    if (wire_length > kMaxNameLength || pos + 1 + len > msg.size()) return false;
    append_label(out, &msg[pos + 1], len);
    pos += 1u + len;
  }
  if (!jumped) offset = pos + 1;
  return true;
}

std::optional<Message> parse_message(std::span<const uint8_t> msg) {
  Reader r(msg);
  Message m;
  if (!read_header(r, m.header)) return std::nullopt;
  for (uint16_t i = 0; i < m.header.qdcount; ++i) {
    Question q;
    if (!r.name(q.name) || !r.u16(q.type) || !r.u16(q.klass)) return std::nullopt;
    m.questions.push_back(std::move(q));
  }
  if (!read_section(msg, r, m.header.ancount, m.answers) ||
      !read_section(msg, r, m.header.nscount, m.authority) ||
      !read_section(msg, r, m.header.arcount, m.additional))
    return std::nullopt;
  return m;
}

std::optional<std::string> rdata_name(std::span<const uint8_t> msg, const ResourceRecord& rr) {
  size_t offset = rr.rdata_offset;
  std::string out;
  if (offset >= msg.size() || !read_name(msg, offset, out)) return std::nullopt;
  if (offset != rr.rdata_offset + rr.rdata.size()) return std::nullopt;
  return out;
}

bool encode_name(std::string_view name, std::vector<uint8_t>& out) {
  name = strip_dot(name);
  std::vector<uint8_t> wire;
  std::string label;
  auto flush = [&]() {
    if (label.empty() || label.size() > 63) return false;
    wire.push_back(static_cast<uint8_t>(label.size()));
    wire.insert(wire.end(), label.begin(), label.end());
    label.clear();
    return true;
  };
  for (size_t i = 0; i < name.size(); ++i) {
    if (name[i] == '\\' && i + 1 < name.size()) {
      label += name[++i];
    } else if (name[i] == '.') {
      if (!flush()) return false;
    } else {
      label += name[i];
    }
  }
  if (!name.empty() && !flush()) return false;
  wire.push_back(0);
  if (wire.size() > kMaxNameLength) return false;
  out.insert(out.end(), wire.begin(), wire.end());
  return true;
}

bool equal_names(std::string_view a, std::string_view b) {
  a = strip_dot(a);
  b = strip_dot(b);
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return lower(x) == lower(y); });
}

ParsedQuery parse_query(std::span<const uint8_t> msg) {
  ParsedQuery p;
  Reader r(msg);
  if (!read_header(r, p.query.header) || p.query.header.is_response()) return p;
  p.status = QueryStatus::kNotImp;
  if (p.query.header.opcode() != 0) return p;
  p.status = QueryStatus::kFormErr;
  // Checked before reading anything more: a query carries one question and no answer or
  // authority records, so a packet of thousands of records costs nothing to refuse.
  const Header& h = p.query.header;
  if (h.qdcount != 1 || h.ancount != 0 || h.nscount != 0 || h.arcount > kMaxQueryAdditional)
    return p;
  auto m = parse_message(msg);
  if (!m) return p;
  int opts = 0;
  for (const auto& rr : m->additional) {
    if (rr.type != kTypeOpt) continue;
    if (++opts > 1 || !rr.name.empty()) return p;
    p.query.has_edns = true;
    p.query.udp_size = std::clamp<size_t>(rr.klass, kClassicUdpSize, kEdnsUdpSize);
    p.query.opt_class_offset = rr.rdata_offset - 8;  // CLASS, TTL, RDLENGTH precede RDATA
  }
  p.query.question = std::move(m->questions[0]);
  p.status = QueryStatus::kOk;
  return p;
}

ResourceRecord a_record(std::string_view name, Ipv4Address addr, uint32_t ttl) {
  ResourceRecord rr{std::string(name), kTypeA, kClassIn, ttl, {}, 0};
  put32(rr.rdata, addr.value);
  return rr;
}

ResourceRecord aaaa_record(std::string_view name, const Ipv6Address& addr, uint32_t ttl) {
  return {std::string(name), kTypeAaaa, kClassIn, ttl, {addr.bytes.begin(), addr.bytes.end()}, 0};
}

ResourceRecord ptr_record(std::string_view name, std::string_view target, uint32_t ttl) {
  ResourceRecord rr{std::string(name), kTypePtr, kClassIn, ttl, {}, 0};
  encode_name(target, rr.rdata);
  return rr;
}

std::vector<uint8_t> build_response(const Query& query, Rcode rcode,
                                    const std::vector<ResourceRecord>& answers, size_t max_size,
                                    bool authoritative) {
  uint16_t flags =
      kFlagQr | (query.header.flags & (0x7800 | kFlagRd)) | kFlagRa | static_cast<uint16_t>(rcode);
  if (authoritative) flags |= kFlagAa;
  std::vector<uint8_t> out;
  put_header(out, query.header.id, flags, 1, 0, query.has_edns ? 1 : 0);
  if (!encode_name(query.question.name, out)) return build_error(query.header, Rcode::kFormErr);
  put16(out, query.question.type);
  put16(out, query.question.klass);
  size_t question_end = out.size();
  uint16_t count = 0;
  for (const auto& rr : answers) {
    if (rr.rdata.empty() || rr.rdata.size() > 0xFFFF) continue;
    if (equal_names(rr.name, query.question.name)) {
      put16(out, 0xC000 | kHeaderSize);  // pointer to the question's name
    } else if (!encode_name(rr.name, out)) {
      continue;
    }
    put16(out, rr.type);
    put16(out, rr.klass);
    put32(out, rr.ttl);
    put16(out, static_cast<uint16_t>(rr.rdata.size()));
    out.insert(out.end(), rr.rdata.begin(), rr.rdata.end());
    ++count;
  }
  size_t opt_size = query.has_edns ? 11 : 0;
  if (out.size() + opt_size > max_size) {
    out.resize(question_end);
    count = 0;
    flags |= kFlagTc;
    out[2] = static_cast<uint8_t>(flags >> 8);
    out[3] = static_cast<uint8_t>(flags);
  }
  out[6] = static_cast<uint8_t>(count >> 8);
  out[7] = static_cast<uint8_t>(count);
  if (query.has_edns) put_opt(out);
  return out;
}

void clamp_udp_size(const Query& query, std::span<uint8_t> packet) {
  size_t at = query.opt_class_offset;
  if (!query.has_edns || at + 2 > packet.size()) return;
  if ((size_t{packet[at]} << 8 | packet[at + 1]) <= kEdnsUdpSize) return;
  packet[at] = static_cast<uint8_t>(kEdnsUdpSize >> 8);
  packet[at + 1] = static_cast<uint8_t>(kEdnsUdpSize & 0xFF);
}

std::vector<uint8_t> build_error(const Header& header, Rcode rcode) {
  uint16_t flags =
      kFlagQr | (header.flags & (0x7800 | kFlagRd)) | kFlagRa | static_cast<uint16_t>(rcode);
  std::vector<uint8_t> out;
  put_header(out, header.id, flags, 0, 0, 0);
  return out;
}

}  // namespace berth::network::dns
