// Value syntaxes of the compose spec shared by the canonical phase and bind: Go-style
// durations ("1m30s"), byte sizes ("512m", docker's RAMInBytes), shell-word splitting of
// `command: echo "a b"` (compose-go uses shellwords), booleans and integers given as text.
// Parsers throw std::invalid_argument with a short reason; callers add file:line and path.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace berth::compose {

// "1h2m3.5s", "500ms", "10us", "0" → nanoseconds.
int64_t parse_duration(std::string_view s);
// Go's time.Duration.String(): 90s → "1m30s", 1h → "1h0m0s", 0 → "0s".
std::string format_duration(int64_t ns);
// "1024", "512k", "1.5g", "64mb", "1GiB" → bytes (powers of 1024, like docker).
int64_t parse_bytes(std::string_view s);
// Splits a command line into words: quotes, backslash escapes, no expansion.
std::vector<std::string> shell_split(std::string_view s);
// "true"/"false" (any case), "1"/"0", "yes"/"no".
bool parse_bool(std::string_view s);
// A decimal integer.
int64_t parse_int(std::string_view s);

}  // namespace berth::compose
