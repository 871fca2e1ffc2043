#include "common/timestamps.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include "common/units.h"

namespace berth {

timespec now() {
  timespec ts{};
  ::clock_gettime(CLOCK_REALTIME, &ts);
  return ts;
}

namespace {

// Civil date of a day count since 1970-01-01 (Howard Hinnant's civil_from_days).
void civil_from_days(long z, long& y, unsigned& m, unsigned& d) {
  z += 719468;
  const long era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<long>(yoe) + era * 400 + (m <= 2);
}

}  // namespace

tm utc_time(time_t secs) {
  long days = static_cast<long>(secs / 86400);
  long rem = static_cast<long>(secs % 86400);
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  long y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  tm t{};
  t.tm_year = static_cast<int>(y - 1900);
  t.tm_mon = static_cast<int>(m) - 1;
  t.tm_mday = static_cast<int>(d);
  t.tm_hour = static_cast<int>(rem / 3600);
  t.tm_min = static_cast<int>(rem / 60 % 60);
  t.tm_sec = static_cast<int>(rem % 60);
  t.tm_wday = static_cast<int>(((days % 7) + 11) % 7);  // 1970-01-01 was a Thursday (4)
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  static constexpr int kBefore[12] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
  t.tm_yday = kBefore[m - 1] + static_cast<int>(d) - 1 + (leap && m > 2 ? 1 : 0);
  return t;
}

size_t format_rfc3339_nano(const timespec& ts, char* buf) {
  const tm t = utc_time(ts.tv_sec);
  int n = std::snprintf(buf, 32, "%04d-%02d-%02dT%02d:%02d:%02d", t.tm_year + 1900, t.tm_mon + 1,
                        t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec);
  if (ts.tv_nsec > 0) {
    char frac[24];
    std::snprintf(frac, sizeof frac, "%09ld", static_cast<long>(ts.tv_nsec));
    int len = 9;
    while (len > 0 && frac[len - 1] == '0') --len;
    buf[n++] = '.';
    std::memcpy(buf + n, frac, static_cast<size_t>(len));
    n += len;
  }
  buf[n++] = 'Z';
  buf[n] = '\0';
  return static_cast<size_t>(n);
}

std::string format_rfc3339_nano(const timespec& ts) {
  char buf[48];
  return std::string(buf, format_rfc3339_nano(ts, buf));
}

namespace {

bool digits(std::string_view s, size_t pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm; works before 1970 too).
long days_from_civil(long y, unsigned m, unsigned d) {
  y -= m <= 2;
  const long era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long>(doe) - 719468;
}

std::optional<timespec> parse_date_time(std::string_view s, bool date_only_ok) {
  int Y, M, D, h = 0, m = 0, sec = 0;
  if (!digits(s, 0, 4, Y) || s.size() < 10 || s[4] != '-' || !digits(s, 5, 2, M) || s[7] != '-' ||
      !digits(s, 8, 2, D))
    return std::nullopt;
  size_t pos = 10;
  long nsec = 0;
  int offset = 0;
  if (s.size() == 10) {
    if (!date_only_ok) return std::nullopt;
  } else {
    if (s[10] != 'T' || !digits(s, 11, 2, h) || s.size() < 19 || s[13] != ':' ||
        !digits(s, 14, 2, m) || s[16] != ':' || !digits(s, 17, 2, sec))
      return std::nullopt;
    pos = 19;
    if (pos < s.size() && s[pos] == '.') {
      ++pos;
      long scale = 100000000;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
        nsec += (s[pos] - '0') * scale;
        scale /= 10;
        ++pos;
      }
    }
    if (pos < s.size() && s[pos] == 'Z') {
      ++pos;
    } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
      int oh, om;
      if (!digits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
          !digits(s, pos + 4, 2, om))
        return std::nullopt;
      offset = (oh * 3600 + om * 60) * (s[pos] == '+' ? 1 : -1);
      pos += 6;
    }
    if (pos != s.size()) return std::nullopt;
  }
  timespec ts{};
  ts.tv_sec = days_from_civil(Y, static_cast<unsigned>(M), static_cast<unsigned>(D)) * 86400L +
              h * 3600 + m * 60 + sec - offset;
  ts.tv_nsec = nsec;
  return ts;
}

}  // namespace

std::optional<timespec> parse_rfc3339(std::string_view text) {
  return parse_date_time(text, false);
}

std::optional<timespec> parse_since(std::string_view text, const timespec& now_ts) {
  if (auto t = parse_date_time(text, true)) return t;
  bool numeric = !text.empty();
  for (char c : text) numeric = numeric && ((c >= '0' && c <= '9') || c == '.');
  if (numeric) {
    timespec ts{};
    size_t dot = text.find('.');
    ts.tv_sec = std::strtol(std::string(text.substr(0, dot)).c_str(), nullptr, 10);
    if (dot != std::string_view::npos) {
      std::string frac(text.substr(dot + 1));
      frac.resize(9, '0');
      ts.tv_nsec = std::strtol(frac.c_str(), nullptr, 10);
    }
    return ts;
  }
  int64_t ns = 0;
  try {
    ns = parse_duration(text);
  } catch (const std::invalid_argument&) {
    return std::nullopt;  // none of the forms
  }
  timespec ts = now_ts;
  ts.tv_sec -= ns / 1000000000L;
  ts.tv_nsec -= ns % 1000000000L;
  if (ts.tv_nsec < 0) {
    ts.tv_nsec += 1000000000L;
    --ts.tv_sec;
  }
  return ts;
}

double seconds_between(const timespec& a, const timespec& b) {
  return static_cast<double>(b.tv_sec - a.tv_sec) +
         static_cast<double>(b.tv_nsec - a.tv_nsec) / 1e9;
}

std::string human_duration(double seconds) {
  auto plural = [](long n, const char* unit) {
    return std::to_string(n) + " " + unit + (n == 1 ? "" : "s");
  };
  if (seconds < 1) return "Less than a second";
  long s = static_cast<long>(seconds);
  if (s == 1) return "1 second";
  if (s < 60) return plural(s, "second");
  long minutes = s / 60;
  if (minutes == 1) return "About a minute";
  if (minutes < 60) return plural(minutes, "minute");
  // Rounded, as Docker's int(d.Hours() + 0.5); the years count whole hours, and Docker says
  // "1 years" for a duration just under two years.
  long hours = static_cast<long>(seconds / 3600 + 0.5);
  if (hours == 1) return "About an hour";
  if (hours < 48) return plural(hours, "hour");
  if (hours < 24 * 7 * 2) return plural(hours / 24, "day");
  if (hours < 24 * 30 * 2) return plural(hours / 24 / 7, "week");
  if (hours < 24 * 365 * 2) return plural(hours / 24 / 30, "month");
  return std::to_string(s / 3600 / 24 / 365) + " years";
}

}  // namespace berth
