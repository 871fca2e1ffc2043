// ASCII helpers of the Dockerfile front half: BuildKit's unicode.IsSpace and case folding on
// the ASCII range (instruction names, flag values, mount types), shared by its files.
#pragma once

#include <string>
#include <string_view>

namespace berth::dockerfile::detail {

// Space, \t, \n, \v, \f, \r; multi-byte Unicode spaces (U+00A0 ...) are not spaces here.
inline bool is_space(char c) {
  return c == ' ' || (c >= '\t' && c <= '\r');
}

inline std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

inline std::string to_upper(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

}  // namespace berth::dockerfile::detail
