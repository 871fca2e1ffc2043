#include "network/cidr.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

#include "common/error.h"

namespace berth::network {

std::optional<Ipv4Address> parse_ipv4(std::string_view text) {
  // inet_pton needs a NUL-terminated string; INET_ADDRSTRLEN bounds any valid input.
  if (text.empty() || text.size() >= INET_ADDRSTRLEN) return std::nullopt;
  char buf[INET_ADDRSTRLEN] = {};
  std::memcpy(buf, text.data(), text.size());
  in_addr addr{};
  if (::inet_pton(AF_INET, buf, &addr) != 1) return std::nullopt;
  return Ipv4Address{ntohl(addr.s_addr)};
}

Ipv4Address parse_ipv4_or_throw(std::string_view text) {
  auto a = parse_ipv4(text);
  if (!a) throw Error("invalid IPv4 address \"" + std::string(text) + "\"");
  return *a;
}

std::optional<Ipv6Address> parse_ipv6(std::string_view text) {
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN) return std::nullopt;
  char buf[INET6_ADDRSTRLEN] = {};
  std::memcpy(buf, text.data(), text.size());
  Ipv6Address a;
  if (::inet_pton(AF_INET6, buf, a.bytes.data()) != 1) return std::nullopt;
  return a;
}

std::string to_string(Ipv4Address a) {
  in_addr addr{htonl(a.value)};
  char buf[INET_ADDRSTRLEN];
  ::inet_ntop(AF_INET, &addr, buf, sizeof buf);
  return buf;
}

std::string to_string(const Ipv6Address& a) {
  char buf[INET6_ADDRSTRLEN];
  ::inet_ntop(AF_INET6, a.bytes.data(), buf, sizeof buf);
  return buf;
}

Ipv4Prefix prefix_of(Ipv4Address a, int length) {
  Ipv4Prefix p;
  p.length = length;
  p.network = Ipv4Address{a.value & p.mask()};
  return p;
}

Ipv4Prefix parse_cidr(std::string_view text, bool strict) {
  auto fail = [&](const std::string& why) -> Error {
    return Error("invalid subnet \"" + std::string(text) + "\": " + why);
  };
  auto slash = text.find('/');
  if (slash == std::string_view::npos) throw fail("expected ADDRESS/LENGTH");
  auto addr = parse_ipv4(text.substr(0, slash));
  if (!addr) throw fail("not an IPv4 address");
  auto len_text = text.substr(slash + 1);
  int length = -1;
  auto [end, ec] = std::from_chars(len_text.data(), len_text.data() + len_text.size(), length);
  if (len_text.empty() || len_text.size() > 2 || ec != std::errc{} ||
      end != len_text.data() + len_text.size() || length < 0 || length > 32)
    throw fail("prefix length must be 0 to 32");
  Ipv4Prefix p = prefix_of(*addr, length);
  if (strict && p.network != *addr) throw fail("it should be " + to_string(p));
  return p;
}

std::string to_string(const Ipv4Prefix& p) {
  return to_string(p.network) + "/" + std::to_string(p.length);
}

}  // namespace berth::network
