// Name resolution as asked: `--add-host HOST:IP` / compose's `extra_hosts:` (Docker accepts
// HOST:IP and HOST=IP; the address may be IPv6, so the split is at the first separator) and
// `--dns IP` / `dns:`. One parser each for both front ends.
#pragma once

#include <string>
#include <utility>

namespace berth::request {

// "db:10.0.0.5", "v6=::1" → {host, address}. Throws std::invalid_argument ("bad format",
// "invalid IP address").
std::pair<std::string, std::string> parse_extra_host(const std::string& spec);

// True for an IPv4 or IPv6 address in its textual form.
bool is_ip_address(const std::string& text);

}  // namespace berth::request
