// A small wildcard automaton for the two pattern languages of the front half: shell patterns
// of ${VAR#pat}/${VAR/pat/repl} and .dockerignore patterns. BuildKit and patternmatcher
// translate them to Go regular expressions; here they run as a Thompson NFA over code points,
// linear in the input, so a hostile Dockerfile or context cannot make matching blow up.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace berth::dockerfile::detail {

// Code points of UTF-8 text with their byte offsets (offsets.size() == runes.size() + 1);
// an invalid byte is one code point of its own.
struct Runes {
  std::vector<uint32_t> runes;
  std::vector<size_t> offsets;
  explicit Runes(std::string_view s);
};

class Glob {
 public:
  enum class Kind {
    kLiteral,   // one code point
    kAny,       // one code point except '\n' (and '/' when stop_at_slash)
    kLoop,      // zero or more of kAny
    kOptional,  // epsilon to the next token or past `skip` tokens ("(.*/)?")
    kClass,     // a bracket expression: ranges, maybe negated
  };
  struct Token {
    Kind kind;
    uint32_t rune = 0;
    bool stop_at_slash = false;
    size_t skip = 0;
    bool negate = false;
    std::vector<std::pair<uint32_t, uint32_t>> ranges;
  };

  void add(Token t) { tokens_.push_back(std::move(t)); }
  void literal(uint32_t r) { tokens_.push_back({Kind::kLiteral, r}); }
  size_t size() const { return tokens_.size(); }

  // ends[k] is true when runes [start, start + k) match the whole pattern.
  std::vector<bool> match_ends(const std::vector<uint32_t>& s, size_t start) const;
  // The leftmost match at or after rune `from`, the longest of those: {start, end} runes.
  // One pass over s (Go's leftmost-first on these greedy patterns gives the same match).
  std::optional<std::pair<size_t, size_t>> find(const std::vector<uint32_t>& s, size_t from) const;
  bool full_match(const std::vector<uint32_t>& s) const {
    auto e = match_ends(s, 0);
    return e[s.size()];
  }

 private:
  bool accepts(const Token& t, uint32_t c) const;
  std::vector<Token> tokens_;
};

}  // namespace berth::dockerfile::detail
