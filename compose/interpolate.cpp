// Phase 2, interpolation (see interpolate.h).
#include "compose/interpolate.h"

#include <vector>

namespace berth::compose {
namespace {

bool name_start(char c) {
  return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool name_char(char c) {
  return name_start(c) || (c >= '0' && c <= '9');
}

[[noreturn]] void invalid(std::string_view text) {
  throw InterpolationError("invalid interpolation format for \"" + std::string(text) +
                           "\": you may need to escape any $ with another $");
}

// Index of the `}` closing a `${` whose body starts at `i`, counting nested `${`.
size_t closing_brace(std::string_view s, size_t i, std::string_view whole) {
  int depth = 1;
  for (; i < s.size(); ++i) {
    if (s[i] == '$' && i + 1 < s.size() && s[i + 1] == '$') {
      ++i;
    } else if (s[i] == '$' && i + 1 < s.size() && s[i + 1] == '{') {
      ++depth;
      ++i;
    } else if (s[i] == '}' && --depth == 0) {
      return i;
    }
  }
  invalid(whole);
}

// Expands the body of `${...}` (without the braces).
std::string expand_braced(std::string_view body, std::string_view whole, const Lookup& lookup) {
  size_t n = 0;
  while (n < body.size() && name_char(body[n])) ++n;
  if (n == 0 || !name_start(body[0])) invalid(whole);
  std::string name(body.substr(0, n));
  std::optional<std::string> value = lookup(name);
  if (n == body.size()) return value.value_or("");
  std::string_view rest = body.substr(n);
  bool colon = rest[0] == ':';
  if (colon) rest.remove_prefix(1);
  if (rest.empty()) invalid(whole);
  char op = rest[0];
  std::string_view arg = rest.substr(1);
  // With ':' an empty value counts as unset; without, only an unset one does.
  bool unset = colon ? (!value || value->empty()) : !value;
  switch (op) {
    case '-':
      return unset ? interpolate_string(arg, lookup) : *value;
    case '+':
      return unset ? std::string() : interpolate_string(arg, lookup);
    case '?':
      if (unset) {
        std::string msg = interpolate_string(arg, lookup);
        throw InterpolationError("required variable " + name + " is missing a value" +
                                 (msg.empty() ? std::string() : ": " + msg));
      }
      return *value;
    default:
      invalid(whole);
  }
}

// The key path is built only when an error needs it: `segments` holds the keys and
// indexes from the root (an index as "[i]").
std::string path_of(const std::vector<std::string>& segments) {
  std::string p;
  for (const auto& s : segments) {
    if (!p.empty() && s[0] != '[') p += '.';
    p += s;
  }
  return p;
}

void walk(schema::Node& n, std::vector<std::string>& segments, const Lookup& lookup) {
  if (n.is_scalar()) {
    if (n.scalar().find('$') == std::string::npos) return;
    try {
      std::string v = interpolate_string(n.scalar(), lookup);
      // Like compose-go, a substituted value is a string; typed attributes parse it later.
      if (v != n.scalar()) n.set_quoted(true);
      n.set_scalar(std::move(v));
    } catch (const InterpolationError& e) {
      schema::fail_at(n.mark(), path_of(segments), e.what());
    }
  } else if (n.is_seq()) {
    for (size_t i = 0; i < n.items().size(); ++i) {
      if (!n.items()[i].is_map() && !n.items()[i].is_seq() &&
          n.items()[i].scalar().find('$') == std::string::npos)
        continue;
      segments.push_back("[" + std::to_string(i) + "]");
      walk(n.items()[i], segments, lookup);
      segments.pop_back();
    }
  } else if (n.is_map()) {
    for (auto& e : n.entries()) {
      segments.push_back(e.key);
      walk(e.value, segments, lookup);
      segments.pop_back();
    }
  }
}

}  // namespace

std::string interpolate_string(std::string_view s, const Lookup& lookup) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '$') {
      out += s[i];
      continue;
    }
    // Only `$$`, `${...}` and `$NAME` are interpolation; any other `$` (`$(date)`, `$1`, a
    // trailing `$`) stays as it is, as in compose-go v2.
    if (i + 1 >= s.size()) {
      out += '$';
      continue;
    }
    char c = s[i + 1];
    if (c == '$') {
      out += '$';
      ++i;
    } else if (c == '{') {
      size_t end = closing_brace(s, i + 2, s);
      out += expand_braced(s.substr(i + 2, end - i - 2), s, lookup);
      i = end;
    } else if (name_start(c)) {
      size_t j = i + 1;
      while (j < s.size() && name_char(s[j])) ++j;
      out += lookup(s.substr(i + 1, j - i - 1)).value_or("");
      i = j - 1;
    } else {
      out += '$';
    }
  }
  return out;
}

void interpolate_tree(schema::Node& root, const Lookup& lookup) {
  std::vector<std::string> segments;
  walk(root, segments, lookup);
}

}  // namespace berth::compose
