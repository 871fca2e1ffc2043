#include "request/supervision.h"

#include <charconv>
#include <stdexcept>

namespace berth::request {

RestartPolicy parse_restart_policy(const std::string& text) {
  RestartPolicy p;
  const size_t colon = text.find(':');
  p.name = text.substr(0, colon);
  if (p.name.empty()) p.name = "no";
  if (p.name != "no" && p.name != "always" && p.name != "unless-stopped" && p.name != "on-failure")
    throw std::invalid_argument("invalid restart policy '" + p.name + "'");
  if (colon == std::string::npos) return p;
  if (p.name != "on-failure")
    throw std::invalid_argument("maximum retry count cannot be used with restart policy '" +
                                p.name + "'");
  const std::string count = text.substr(colon + 1);
  auto [end, ec] = std::from_chars(count.data(), count.data() + count.size(), p.max_retries);
  if (ec != std::errc() || end != count.data() + count.size() || p.max_retries < 0)
    throw std::invalid_argument(
        "invalid restart policy format: maximum retry count must be an integer");
  return p;
}

}  // namespace berth::request
