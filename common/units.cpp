// Value syntaxes (see units.h).
#include "common/units.h"

#include <cctype>
#include <cmath>
#include <stdexcept>
#include <string>

#include "common/rounding.h"

namespace berth {
namespace {

// Reads a decimal number "12" or "1.5" at s[i]; advances i.
double read_number(std::string_view s, size_t& i) {
  size_t start = i;
  while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.')) ++i;
  if (start == i) throw std::invalid_argument("expected a number");
  return std::stod(std::string(s.substr(start, i - start)));
}

}  // namespace

int64_t parse_duration(std::string_view s) {
  if (s.empty()) throw std::invalid_argument("empty duration");
  bool neg = s[0] == '-';
  if (s[0] == '-' || s[0] == '+') s.remove_prefix(1);
  if (s == "0") return 0;
  static const std::pair<const char*, double> kUnits[] = {
      {"ns", 1},   {"us", 1e3}, {"\xc2\xb5s", 1e3}, {"\xce\xbcs", 1e3},
      {"ms", 1e6}, {"s", 1e9},  {"m", 60e9},        {"h", 3600e9}};
  double total = 0;
  size_t i = 0;
  while (i < s.size()) {
    double v = read_number(s, i);
    size_t u = i;
    while (u < s.size() && !std::isdigit(static_cast<unsigned char>(s[u])) && s[u] != '.') ++u;
    std::string_view unit = s.substr(i, u - i);
    if (unit.empty()) throw std::invalid_argument("missing unit in duration");
    double mult = 0;
    for (auto& [name, m] : kUnits)
      if (unit == name) mult = m;
    if (mult == 0)
      throw std::invalid_argument("unknown unit \"" + std::string(unit) + "\" in duration");
    total += v * mult;
    i = u;
  }
  if (total > 9.2e18) throw std::invalid_argument("duration out of range");
  return round_to_int64(neg ? -total : total);
}

std::string format_duration(int64_t ns) {
  if (ns == 0) return "0s";
  std::string sign = ns < 0 ? "-" : "";
  uint64_t u = ns < 0 ? static_cast<uint64_t>(-ns) : static_cast<uint64_t>(ns);
  auto frac = [](uint64_t v, uint64_t unit) {
    std::string s = std::to_string(v / unit);
    uint64_t rest = v % unit;
    if (rest == 0) return s;
    std::string digits = std::to_string(rest + unit).substr(1);  // zero-padded
    while (!digits.empty() && digits.back() == '0') digits.pop_back();
    return s + "." + digits;
  };
  if (u < 1000) return sign + std::to_string(u) + "ns";
  if (u < 1000000) return sign + frac(u, 1000) + "\xc2\xb5s";
  if (u < 1000000000) return sign + frac(u, 1000000) + "ms";
  uint64_t secs_ns = u % 60000000000ULL;
  uint64_t mins = u / 60000000000ULL;
  std::string out = sign;
  if (mins >= 60) out += std::to_string(mins / 60) + "h";
  if (mins > 0) out += std::to_string(mins % 60) + "m";
  return out + frac(secs_ns, 1000000000ULL) + "s";
}

int64_t parse_bytes(std::string_view s) {
  const std::string bad = "invalid size: '" + std::string(s) + "'";
  size_t i = 0;
  double v = 0;
  try {
    v = read_number(s, i);
  } catch (const std::invalid_argument&) {
    throw std::invalid_argument(bad);
  }
  if (i < s.size() && s[i] == ' ') ++i;  // RAMInBytes takes one space before the unit
  std::string unit;
  for (char c : s.substr(i)) unit += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (!unit.empty() && unit.back() == 'b') unit.pop_back();
  if (unit.size() == 2 && unit[1] == 'i') unit.pop_back();
  static const std::pair<const char*, double> kUnits[] = {{"", 1},
                                                          {"k", 1024.0},
                                                          {"m", 1048576.0},
                                                          {"g", 1073741824.0},
                                                          {"t", 1099511627776.0},
                                                          {"p", 1125899906842624.0}};
  for (auto& [name, mult] : kUnits)
    if (unit == name) return static_cast<int64_t>(v * mult);
  throw std::invalid_argument(bad);
}

}  // namespace berth
