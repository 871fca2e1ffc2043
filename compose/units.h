// Value syntaxes of the compose spec shared by the canonical phase and bind: shell-word
// splitting of
// `command: echo "a b"` (compose-go uses shellwords), booleans and integers given as text.
// Parsers throw std::invalid_argument with a short reason; callers add file:line and path.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/units.h"  // durations and byte sizes, shared with the command line

namespace berth::compose {

// Splits a command line into words: quotes, backslash escapes, no expansion.
std::vector<std::string> shell_split(std::string_view s);
// "true"/"false" (any case), "1"/"0", "yes"/"no".
bool parse_bool(std::string_view s);
// A decimal integer.
int64_t parse_int(std::string_view s);

}  // namespace berth::compose
