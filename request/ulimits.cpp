#include "request/ulimits.h"

#include <sys/resource.h>

#include <charconv>
#include <stdexcept>
#include <utility>

namespace berth::request {

namespace {

constexpr std::pair<const char*, int> kResources[] = {
    {"core", RLIMIT_CORE},         {"cpu", RLIMIT_CPU},
    {"data", RLIMIT_DATA},         {"fsize", RLIMIT_FSIZE},
    {"locks", RLIMIT_LOCKS},       {"memlock", RLIMIT_MEMLOCK},
    {"msgqueue", RLIMIT_MSGQUEUE}, {"nice", RLIMIT_NICE},
    {"nofile", RLIMIT_NOFILE},     {"nproc", RLIMIT_NPROC},
    {"rss", RLIMIT_RSS},           {"rtprio", RLIMIT_RTPRIO},
    {"rttime", RLIMIT_RTTIME},     {"sigpending", RLIMIT_SIGPENDING},
    {"stack", RLIMIT_STACK}};

// A limit as Go's strconv.ParseInt reads it (an optional sign, digits), or "unlimited".
int64_t parse_limit(std::string_view v) {
  if (v == "unlimited" || v == "-1") return -1;
  std::string_view digits = v.starts_with('+') ? v.substr(1) : v;
  int64_t n = -1;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || n < 0)
    throw std::invalid_argument("invalid limit \"" + std::string(v) + "\"");
  return n;
}

}  // namespace

int rlimit_resource(const std::string& name) {
  for (const auto& [n, r] : kResources)
    if (name == n) return r;
  return -1;
}

std::string limit_text(int64_t v) {
  return v < 0 ? "unlimited" : std::to_string(v);
}

void validate_ulimit(const Ulimit& u) {
  if (rlimit_resource(u.name) < 0) throw std::invalid_argument("invalid ulimit type: " + u.name);
  auto as_unsigned = [](int64_t v) { return v < 0 ? RLIM_INFINITY : static_cast<rlim_t>(v); };
  if (as_unsigned(u.soft) > as_unsigned(u.hard))
    throw std::invalid_argument("ulimit soft limit must be less than or equal to hard limit: " +
                                limit_text(u.soft) + " > " + limit_text(u.hard));
}

Ulimit parse_ulimit(const std::string& text) {
  auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0) throw std::invalid_argument("expected NAME=SOFT[:HARD]");
  Ulimit u;
  u.name = text.substr(0, eq);
  if (rlimit_resource(u.name) < 0) throw std::invalid_argument("invalid ulimit type: " + u.name);
  std::string_view rest = std::string_view(text).substr(eq + 1);
  auto colon = rest.find(':');
  u.soft = parse_limit(rest.substr(0, colon));
  u.hard = colon == std::string_view::npos ? u.soft : parse_limit(rest.substr(colon + 1));
  validate_ulimit(u);
  return u;
}

}  // namespace berth::request
