// Value syntaxes (see units.h).
#include "compose/units.h"

#include <cctype>
#include <charconv>
#include <stdexcept>

namespace berth::compose {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::vector<std::string> shell_split(std::string_view s) {
  std::vector<std::string> words;
  std::string cur;
  bool in_word = false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n') {
      if (in_word) words.push_back(std::move(cur));
      cur.clear();
      in_word = false;
    } else if (c == '\\' && i + 1 < s.size()) {
      cur += s[++i];
      in_word = true;
    } else if (c == '\'' || c == '"') {
      size_t end = i + 1;
      for (; end < s.size() && s[end] != c; ++end) {
        if (c == '"' && s[end] == '\\' && end + 1 < s.size() &&
            (s[end + 1] == '"' || s[end + 1] == '\\' || s[end + 1] == '$'))
          ++end;
        cur += s[end];
      }
      if (end >= s.size()) throw std::invalid_argument(std::string("unterminated ") + c + " quote");
      i = end;
      in_word = true;
    } else {
      cur += c;
      in_word = true;
    }
  }
  if (in_word) words.push_back(std::move(cur));
  return words;
}

bool parse_bool(std::string_view s) {
  std::string l = lower(s);
  if (l == "true" || l == "1" || l == "yes" || l == "y" || l == "on") return true;
  if (l == "false" || l == "0" || l == "no" || l == "n" || l == "off") return false;
  throw std::invalid_argument("not a boolean");
}

int64_t parse_int(std::string_view s) {
  int64_t v = 0;
  const char* b = s.data();
  if (!s.empty() && s[0] == '+') ++b;
  auto [p, ec] = std::from_chars(b, s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty())
    throw std::invalid_argument("not an integer");
  return v;
}

}  // namespace berth::compose
