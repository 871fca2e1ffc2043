#include "dockerfile/glob.h"

#include <algorithm>
#include <cstdint>

namespace berth::dockerfile::detail {

Runes::Runes(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t n = c >= 0xF0 && c < 0xF8 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    uint32_t cp = n == 1 ? c : n == 2 ? c & 0x1F : n == 3 ? c & 0x0F : c & 0x07;
    bool ok = i + n <= s.size();
    for (size_t k = 1; ok && k < n; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      ok = (cc & 0xC0) == 0x80;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (!ok || (n == 1 && c >= 0x80)) {
      n = 1;
      cp = 0xFFFD00u | c;  // a code point of its own that no text character equals
    }
    offsets.push_back(i);
    runes.push_back(cp);
    i += n;
  }
  offsets.push_back(s.size());
}

bool Glob::accepts(const Token& t, uint32_t c) const {
  switch (t.kind) {
    case Kind::kLiteral:
      return c == t.rune;
    case Kind::kAny:
    case Kind::kLoop:
      return c != '\n' && !(t.stop_at_slash && c == '/');
    case Kind::kClass: {
      bool in = false;
      for (const auto& [lo, hi] : t.ranges) in = in || (c >= lo && c <= hi);
      return in != t.negate;
    }
    case Kind::kOptional:
      return false;
  }
  return false;
}

std::vector<bool> Glob::match_ends(const std::vector<uint32_t>& s, size_t start) const {
  const size_t m = tokens_.size();
  std::vector<bool> ends(s.size() - start + 1, false);
  std::vector<char> cur(m + 1, 0), next(m + 1, 0);
  cur[0] = 1;
  for (size_t p = start;; ++p) {
    // Epsilon moves only go forward, so one pass in order closes the set.
    for (size_t i = 0; i < m; ++i) {
      if (!cur[i]) continue;
      if (tokens_[i].kind == Kind::kLoop) cur[i + 1] = 1;
      if (tokens_[i].kind == Kind::kOptional) {
        cur[i + 1] = 1;
        cur[std::min(m, i + 1 + tokens_[i].skip)] = 1;
      }
    }
    if (cur[m]) ends[p - start] = true;
    if (p == s.size()) break;
    std::fill(next.begin(), next.end(), 0);
    bool any = false;
    for (size_t i = 0; i < m; ++i) {
      if (!cur[i] || !accepts(tokens_[i], s[p])) continue;
      next[tokens_[i].kind == Kind::kLoop ? i : i + 1] = 1;
      any = true;
    }
    if (!any) break;
    std::swap(cur, next);
  }
  return ends;
}

std::optional<std::pair<size_t, size_t>> Glob::find(const std::vector<uint32_t>& s,
                                                    size_t from) const {
  constexpr size_t kNone = SIZE_MAX;
  const size_t m = tokens_.size();
  // For each state, the earliest start of a thread in it (threads that meet keep the
  // leftmost start).
  std::vector<size_t> cur(m + 1, kNone), next(m + 1, kNone);
  size_t best_start = kNone, best_end = 0;
  auto merge = [](size_t& slot, size_t start) { slot = std::min(slot, start); };
  for (size_t p = from;; ++p) {
    if (best_start == kNone) merge(cur[0], p);
    for (size_t i = 0; i < m; ++i) {
      if (cur[i] == kNone) continue;
      if (tokens_[i].kind == Kind::kLoop) merge(cur[i + 1], cur[i]);
      if (tokens_[i].kind == Kind::kOptional) {
        merge(cur[i + 1], cur[i]);
        merge(cur[std::min(m, i + 1 + tokens_[i].skip)], cur[i]);
      }
    }
    if (cur[m] != kNone && (cur[m] < best_start || (cur[m] == best_start && p > best_end))) {
      best_start = cur[m];
      best_end = p;
    }
    if (p == s.size()) break;
    std::fill(next.begin(), next.end(), kNone);
    bool alive = false;
    for (size_t i = 0; i < m; ++i) {
      if (cur[i] == kNone || cur[i] > best_start || !accepts(tokens_[i], s[p])) continue;
      merge(next[tokens_[i].kind == Kind::kLoop ? i : i + 1], cur[i]);
      alive = true;
    }
    if (!alive && best_start != kNone) break;
    std::swap(cur, next);
  }
  if (best_start == kNone) return std::nullopt;
  return std::make_pair(best_start, best_end);
}

}  // namespace berth::dockerfile::detail
