#include "cli/image_format.h"

#include <algorithm>
#include <cstdio>

#include "cli/format/tabwriter.h"

namespace berth::cli {

std::string human_size(double size) {
  static const char* kUnits[] = {"B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};
  size_t i = 0;
  while (size >= 1000.0 && i + 1 < std::size(kUnits)) {
    size /= 1000.0;
    ++i;
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3g%s", size, kUnits[i]);
  return buf;
}

std::string human_duration(int64_t s) {
  auto n = [](int64_t v, const char* unit) { return std::to_string(v) + " " + unit; };
  if (s < 1) return "Less than a second";
  if (s == 1) return "1 second";
  if (s < 60) return n(s, "seconds");
  int64_t minutes = s / 60;
  if (minutes == 1) return "About a minute";
  if (minutes < 60) return n(minutes, "minutes");
  int64_t hours = static_cast<int64_t>(static_cast<double>(s) / 3600.0 + 0.5);
  if (hours == 1) return "About an hour";
  if (hours < 48) return n(hours, "hours");
  if (hours < 24 * 7 * 2) return n(hours / 24, "days");
  if (hours < 24 * 30 * 2) return n(hours / 24 / 7, "weeks");
  if (hours < 24 * 365 * 2) return n(hours / 24 / 30, "months");
  return n(s / 3600 / 24 / 365, "years");
}

std::time_t parse_rfc3339(const std::string& s) {
  std::tm t{};
  int off_h = 0, off_m = 0;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &t.tm_year, &t.tm_mon, &t.tm_mday,
                  &t.tm_hour, &t.tm_min, &t.tm_sec) != 6)
    return 0;
  t.tm_year -= 1900;
  t.tm_mon -= 1;
  std::time_t base = ::timegm(&t);
  auto tz = s.find_first_of("+-Z", 19);
  if (tz != std::string::npos && s[tz] != 'Z' &&
      std::sscanf(s.c_str() + tz + 1, "%2d:%2d", &off_h, &off_m) == 2) {
    int off = (off_h * 3600 + off_m * 60) * (s[tz] == '-' ? -1 : 1);
    base -= off;
  }
  return base;
}

std::string go_time_string(std::time_t t) {
  std::tm tm{};
  ::localtime_r(&t, &tm);
  char buf[96];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S %z %Z", &tm);
  return buf;
}

void print_table(const std::vector<std::vector<std::string>>& rows) {
  std::string text;
  for (const auto& r : rows) {
    for (size_t i = 0; i < r.size(); ++i) text += (i ? "\t" : "") + r[i];
    text += "\n";
  }
  std::fputs(format::tabwrite(text).c_str(), stdout);
}

}  // namespace berth::cli
