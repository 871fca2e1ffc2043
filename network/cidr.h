// IPv4 addresses and CIDR prefixes (RFC 4632) as values: parsing with inet_pton, printing,
// containment and overlap. IPAM, the host route reader and the DNS record store use them;
// networks are IPv4-only for now, so IPv6 appears only as opaque 16-byte DNS answers.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace berth::network {

// An IPv4 address in host byte order, so that arithmetic (next address, masks) is plain.
struct Ipv4Address {
  uint32_t value = 0;
  auto operator<=>(const Ipv4Address&) const = default;
};

// An IPv6 address in network byte order.
struct Ipv6Address {
  std::array<uint8_t, 16> bytes{};
  auto operator<=>(const Ipv6Address&) const = default;
};

// "10.89.0.1" → address; nullopt for anything inet_pton(AF_INET) refuses (no leading zeros
// tricks, no "1.2.3", no surrounding spaces).
std::optional<Ipv4Address> parse_ipv4(std::string_view text);
// Same as parse_ipv4 but throws Error("invalid IPv4 address \"text\"").
Ipv4Address parse_ipv4_or_throw(std::string_view text);
std::optional<Ipv6Address> parse_ipv6(std::string_view text);
std::string to_string(Ipv4Address a);
std::string to_string(const Ipv6Address& a);

// A prefix: a network address and a length 0..32. Invariant: host bits of `network` are zero.
struct Ipv4Prefix {
  Ipv4Address network;
  int length = 0;

  uint32_t mask() const { return length == 0 ? 0 : ~uint32_t{0} << (32 - length); }
  Ipv4Address first() const { return network; }
  Ipv4Address last() const { return Ipv4Address{network.value | ~mask()}; }
  // Number of addresses, as 64-bit so that /0 fits.
  uint64_t size() const { return uint64_t{1} << (32 - length); }
  bool contains(Ipv4Address a) const { return (a.value & mask()) == network.value; }
  bool contains(const Ipv4Prefix& p) const { return p.length >= length && contains(p.network); }
  bool overlaps(const Ipv4Prefix& p) const { return contains(p.network) || p.contains(network); }
  auto operator<=>(const Ipv4Prefix&) const = default;
};

// The prefix of `length` bits that contains `a` (host bits cleared). length must be 0..32.
Ipv4Prefix prefix_of(Ipv4Address a, int length);

// Parses "A.B.C.D/N". With strict (the default, as `docker network create --subnet`), host
// bits must be zero: "10.0.0.1/16" is refused with a message suggesting "10.0.0.0/16".
// Throws Error naming the text.
Ipv4Prefix parse_cidr(std::string_view text, bool strict = true);
std::string to_string(const Ipv4Prefix& p);

}  // namespace berth::network
