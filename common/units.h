// Value syntaxes shared by the command line and compose files: Go durations ("1m30s", as
// `--health-interval`, `logs --since 10m`, compose's healthcheck and stop_grace_period) and
// byte sizes (docker's RAMInBytes: `-m 512m`, `--shm-size`, compose's mem_limit). One parser
// each, so both front ends accept the same text. Parsers throw std::invalid_argument with a
// short reason; callers add the flag, or the file, line and key.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace berth {

// "1h2m3.5s", "500ms", "10us", "-1s", "0" → nanoseconds (Go's time.ParseDuration).
int64_t parse_duration(std::string_view s);
// Go's time.Duration.String(): 90s → "1m30s", 1h → "1h0m0s", 0 → "0s".
std::string format_duration(int64_t ns);
// "1024", "512k", "1.5g", "64mb", "1GiB", "2 GB" → bytes (powers of 1024, docker's RAMInBytes).
int64_t parse_bytes(std::string_view s);

}  // namespace berth
