// Timestamps as Docker prints them: RFC 3339 with nanoseconds in UTC ("2026-11-29T19:00:19.5Z",
// Go's RFC3339Nano, trailing zeros trimmed), "0001-01-01T00:00:00Z" for "never", and the
// human durations of `ps` ("5 seconds ago", "Up About a minute"). Used by the container,
// network and volume records, image metadata, the monitor's log lines and the CLI's listings.
#pragma once

#include <time.h>

#include <optional>
#include <string>
#include <string_view>

namespace berth {

inline constexpr std::string_view kZeroTime = "0001-01-01T00:00:00Z";

// CLOCK_REALTIME now.
timespec now();

// gmtime_r's fields (year, month, day, hour, minute, second, weekday, day of the year) by
// arithmetic: glibc's gmtime_r reads the local time zone file at its first call in a process,
// a cost every `run` paid twice (the CLI and the monitor) for a UTC timestamp.
tm utc_time(time_t secs);

// Writes ts as RFC3339Nano UTC into buf (at least 40 bytes), returns the length. No allocation:
// the monitor calls it for every log line.
size_t format_rfc3339_nano(const timespec& ts, char* buf);
std::string format_rfc3339_nano(const timespec& ts);

// Parses "YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)"; nullopt when malformed. kZeroTime parses to
// a time before the epoch.
std::optional<timespec> parse_rfc3339(std::string_view text);

// Parses a `logs --since/--until` value: RFC 3339, "YYYY-MM-DD", a Unix time "SECONDS[.NANOS]"
// or a duration before now ("10m", "1h30m", "90s"). nullopt when malformed.
std::optional<timespec> parse_since(std::string_view text, const timespec& now);

// Docker's units.HumanDuration: "Less than a second", "1 second", "5 seconds", "About a minute",
// "3 minutes", "About an hour", "5 hours", "3 days", "2 weeks", "4 months", "2 years".
std::string human_duration(double seconds);

// Seconds from a to b (may be negative).
double seconds_between(const timespec& a, const timespec& b);

}  // namespace berth
