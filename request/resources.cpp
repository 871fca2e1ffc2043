#include "request/resources.h"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <stdexcept>
#include <string_view>

#include "common/rounding.h"

namespace berth::request {

int64_t nano_cpus(double cpus) {
  if (!(cpus >= 0) || !std::isfinite(cpus)) throw std::invalid_argument("invalid number of CPUs");
  return round_to_int64(cpus * 1e9);
}

int64_t parse_cpus(const std::string& text) {
  // strtod, not std::from_chars: libstdc++'s floating from_chars calls fesetround, which
  // would make every exec of berth load libm (berth never sets a locale: strtod reads "C").
  const bool plain =
      !text.empty() && text.find_first_not_of("0123456789.eE+-") == std::string::npos;
  char* end = nullptr;
  errno = 0;
  double v = plain ? std::strtod(text.c_str(), &end) : -1;
  if (!plain || errno != 0 || end != text.c_str() + text.size() || v < 0 || !std::isfinite(v))
    throw std::invalid_argument("failed to parse " + text + " as a rational number");
  return nano_cpus(v);
}

// "0-1,3": numbers or ranges, comma-separated.
void validate_cpuset(const std::string& text) {
  std::string_view rest = text;
  auto number = [&rest]() {
    size_t n = 0;
    while (n < rest.size() && rest[n] >= '0' && rest[n] <= '9') ++n;
    rest.remove_prefix(n);
    return n > 0;
  };
  bool ok = !rest.empty();
  while (ok && !rest.empty()) {
    ok = number();
    if (ok && !rest.empty() && rest.front() == '-') {
      rest.remove_prefix(1);
      ok = number();
    }
    if (ok && !rest.empty()) {
      ok = rest.front() == ',' && rest.size() > 1;
      rest.remove_prefix(1);
    }
  }
  if (!ok) throw std::invalid_argument("invalid format");
}

void set_ulimit(Resources& r, const Ulimit& u) {
  std::erase_if(r.ulimits, [&](const Ulimit& o) { return o.name == u.name; });
  r.ulimits.push_back(u);
}

}  // namespace berth::request
