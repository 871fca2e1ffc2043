#include "request/hosts.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <stdexcept>

namespace berth::request {

bool is_ip_address(const std::string& text) {
  unsigned char buf[sizeof(in6_addr)];
  return ::inet_pton(AF_INET, text.c_str(), buf) == 1 ||
         ::inet_pton(AF_INET6, text.c_str(), buf) == 1;
}

std::pair<std::string, std::string> parse_extra_host(const std::string& spec) {
  size_t sep = spec.find_first_of(":=");
  if (sep == std::string::npos || sep == 0 || sep + 1 == spec.size())
    throw std::invalid_argument("bad format");
  std::string host = spec.substr(0, sep), ip = spec.substr(sep + 1);
  if (!is_ip_address(ip)) throw std::invalid_argument("invalid IP address");
  return {host, ip};
}

}  // namespace berth::request
