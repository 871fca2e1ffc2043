#include "dockerfile/dockerignore.h"

#include "common/error.h"

namespace berth::dockerfile {

namespace {

std::string_view trim_space(std::string_view s) {
  auto sp = [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); };
  while (!s.empty() && sp(s.front())) s.remove_prefix(1);
  while (!s.empty() && sp(s.back())) s.remove_suffix(1);
  return s;
}

std::vector<std::string> split_slash(std::string_view s) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i)
    if (i == s.size() || s[i] == '/') {
      out.emplace_back(s.substr(start, i - start));
      start = i + 1;
    }
  return out;
}

// Go's filepath.Match syntax check: brackets closed and non-empty, no trailing backslash.
bool valid_glob(std::string_view p) {
  for (size_t i = 0; i < p.size(); ++i) {
    if (p[i] == '\\') {
      if (++i >= p.size()) return false;
    } else if (p[i] == '[') {
      ++i;
      if (i < p.size() && p[i] == '^') ++i;
      bool first = true;
      for (;; first = false) {
        if (i >= p.size()) return false;
        if (p[i] == ']' && !first) break;
        if (p[i] == '\\' && ++i >= p.size()) return false;
        if (p[i] == '-' && first) return false;
        ++i;
        if (i < p.size() && p[i] == '-') {
          ++i;
          if (i >= p.size() || p[i] == ']') return false;
          if (p[i] == '\\' && ++i >= p.size()) return false;
          ++i;
        }
      }
    } else if (p[i] == ']') {
      // A lone ']' is literal for filepath.Match.
    }
  }
  return true;
}

enum class MatchKind { kExact, kPrefix, kSuffix, kGlob };

using detail::Glob;

// A bracket expression starting at p[i] == '[' (already checked by valid_glob); i ends on
// its ']'.
Glob::Token bracket(const detail::Runes& p, size_t& i) {
  Glob::Token t{Glob::Kind::kClass};
  ++i;
  if (i < p.runes.size() && p.runes[i] == '^') {
    t.negate = true;
    ++i;
  }
  for (bool first = true; i < p.runes.size(); first = false) {
    uint32_t c = p.runes[i];
    if (c == ']' && !first) break;
    if (c == '\\' && i + 1 < p.runes.size()) c = p.runes[++i];
    ++i;
    uint32_t hi = c;
    if (i + 1 < p.runes.size() && p.runes[i] == '-' && p.runes[i + 1] != ']') {
      hi = p.runes[++i];
      if (hi == '\\' && i + 1 < p.runes.size()) hi = p.runes[++i];
      ++i;
    }
    t.ranges.emplace_back(c, hi);
  }
  return t;
}

// patternmatcher's compile(): how a pattern matches (one kind, overwritten as the pattern is
// read, as patternmatcher does) and its automaton. Its regular expression is replaced by the
// same wildcards on Glob; `\x` is the literal x, as filepath.Match reads it.
Glob compile(std::string_view pattern, MatchKind& kind) {
  Glob g;
  kind = MatchKind::kExact;
  detail::Runes p(pattern);
  const size_t n = p.runes.size();
  for (size_t i = 0, step = 0; i < n; ++i, ++step) {
    uint32_t c = p.runes[i];
    if (c == '*') {
      if (i + 1 < n && p.runes[i + 1] == '*') {
        ++i;
        if (i + 1 < n && p.runes[i + 1] == '/') ++i;
        if (i + 1 >= n) {
          if (kind == MatchKind::kExact) {
            kind = MatchKind::kPrefix;
          } else {
            g.add({Glob::Kind::kLoop});
            kind = MatchKind::kGlob;
          }
        } else {
          // "(.*/)?": nothing, or anything that ends with a slash.
          g.add({Glob::Kind::kOptional, 0, false, 2});
          g.add({Glob::Kind::kLoop});
          g.literal('/');
          kind = MatchKind::kGlob;
        }
        if (step == 0) kind = MatchKind::kSuffix;
      } else {
        g.add({Glob::Kind::kLoop, 0, true});
        kind = MatchKind::kGlob;
      }
    } else if (c == '?') {
      g.add({Glob::Kind::kAny, 0, true});
      kind = MatchKind::kGlob;
    } else if (c == '\\') {
      if (i + 1 < n) {
        g.literal(p.runes[++i]);
        kind = MatchKind::kGlob;
      } else {
        g.literal('\\');
      }
    } else if (c == '[') {
      g.add(bracket(p, i));
      kind = MatchKind::kGlob;
    } else if (c == ']') {
      g.literal(c);
      kind = MatchKind::kGlob;
    } else {
      g.literal(c);
    }
  }
  return g;
}

}  // namespace

std::string clean_path(std::string_view p) {
  if (p.empty()) return ".";
  const bool rooted = p.front() == '/';
  std::vector<std::string> out;
  for (const auto& part : split_slash(p)) {
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (!out.empty() && out.back() != "..")
        out.pop_back();
      else if (!rooted)
        out.push_back("..");
      continue;
    }
    out.push_back(part);
  }
  std::string s = rooted ? "/" : "";
  for (size_t i = 0; i < out.size(); ++i) s += (i ? "/" : "") + out[i];
  return s.empty() ? "." : s;
}

std::vector<std::string> read_dockerignore(std::string_view text) {
  std::vector<std::string> out;
  bool first = true;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    if (first && line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);
    first = false;
    if (!line.empty() && line.front() == '#') continue;
    line = trim_space(line);
    if (line.empty()) continue;
    bool invert = line.front() == '!';
    if (invert) line = trim_space(line.substr(1));
    std::string pattern(line);
    if (!pattern.empty()) {
      pattern = clean_path(pattern);
      if (pattern.size() > 1 && pattern.front() == '/') pattern.erase(0, 1);
    }
    out.push_back(invert ? "!" + pattern : pattern);
  }
  return out;
}

PatternMatcher::PatternMatcher(const std::vector<std::string>& patterns) {
  for (const auto& raw : patterns) {
    std::string p(trim_space(raw));
    if (p.empty()) continue;
    p = clean_path(p);
    Pattern pat;
    if (p.front() == '!') {
      if (p.size() == 1) throw Error("illegal exclusion pattern: \"!\"");
      pat.exclusion = true;
      exclusions_ = true;
      p.erase(0, 1);
    }
    if (!valid_glob(p)) throw Error("syntax error in pattern: " + p);
    pat.cleaned = p;
    pat.dirs = split_slash(p);
    MatchKind kind;
    pat.glob = compile(p, kind);
    pat.kind = kind == MatchKind::kSuffix   ? Kind::kSuffix
               : kind == MatchKind::kPrefix ? Kind::kPrefix
               : kind == MatchKind::kGlob   ? Kind::kGlob
                                            : Kind::kExact;
    patterns_.push_back(std::move(pat));
  }
}

bool PatternMatcher::match_one(const Pattern& p, std::string_view path) {
  switch (p.kind) {
    case Kind::kExact:
      return path == p.cleaned;
    case Kind::kPrefix:
      return path.substr(0, p.cleaned.size() - 2) ==
             std::string_view(p.cleaned).substr(0, p.cleaned.size() - 2);
    case Kind::kSuffix: {
      std::string_view suffix = std::string_view(p.cleaned).substr(2);
      if (path.size() >= suffix.size() && path.substr(path.size() - suffix.size()) == suffix)
        return true;
      return !suffix.empty() && suffix.front() == '/' && path == suffix.substr(1);
    }
    case Kind::kGlob:
      return p.glob.full_match(detail::Runes(path).runes);
  }
  return false;
}

bool PatternMatcher::matches(std::string_view raw) const {
  std::string file = clean_path(raw);
  if (file == ".") return false;
  std::vector<std::string> parents = split_slash(file);
  parents.pop_back();
  bool matched = false;
  for (const auto& p : patterns_) {
    if (p.exclusion != matched) continue;
    bool m = match_one(p, file);
    std::string prefix;
    for (size_t i = 0; !m && i < parents.size(); ++i) {
      prefix += (i ? "/" : "") + parents[i];
      m = match_one(p, prefix);
    }
    if (m) matched = !p.exclusion;
  }
  return matched;
}

bool PatternMatcher::must_descend(std::string_view raw) const {
  if (!exclusions_) return false;
  auto dir = split_slash(clean_path(raw));
  for (const auto& p : patterns_) {
    if (!p.exclusion) continue;
    bool possible = true;
    for (size_t i = 0; i < dir.size() && i < p.dirs.size(); ++i) {
      if (p.dirs[i].find("**") != std::string::npos) break;
      Pattern one;
      one.cleaned = p.dirs[i];
      MatchKind kind;
      one.glob = compile(p.dirs[i], kind);
      one.kind = kind == MatchKind::kExact ? Kind::kExact : Kind::kGlob;
      if (!match_one(one, dir[i])) {
        possible = false;
        break;
      }
    }
    if (possible) return true;
  }
  return false;
}

std::filesystem::path choose_ignore_file(
    const std::filesystem::path& dockerfile, const std::filesystem::path& context,
    const std::function<bool(const std::filesystem::path&)>& exists) {
  auto specific = dockerfile;
  specific += ".dockerignore";
  if (exists(specific)) return specific;
  auto common = context / ".dockerignore";
  if (exists(common)) return common;
  return {};
}

}  // namespace berth::dockerfile
