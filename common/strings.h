// Splitting and trimming text: the fields of -v and --mount specs, /etc/passwd lines, tar
// entry paths, COMPOSE_FILE, Dockerfile-style --change lines, cgroup files.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace berth {

inline constexpr std::string_view kWhitespace = " \t\r\n";

// The pieces of s between the separators, empty ones included: "a::b" → {"a", "", "b"},
// "" → {""}. sep must not be empty.
std::vector<std::string> split(std::string_view s, std::string_view sep);
std::vector<std::string> split(std::string_view s, char sep);

// s without the leading and trailing characters found in `chars`.
std::string_view trim(std::string_view s, std::string_view chars = kWhitespace);
// s without the trailing ones.
std::string_view trim_end(std::string_view s, std::string_view chars = kWhitespace);

}  // namespace berth
