#include "dockerfile/shell_lex.h"

#include <optional>

#include "common/error.h"
#include "dockerfile/glob.h"
#include "dockerfile/parser.h"

namespace berth::dockerfile {

namespace {

constexpr int kEof = -1;

bool is_space(int c) {
  return c == ' ' || (c >= '\t' && c <= '\r');
}
bool is_digit(int c) {
  return c >= '0' && c <= '9';
}
// Bytes of multi-byte UTF-8 characters count as letters: BuildKit reads runes and accepts
// any Unicode letter in a variable name.
bool is_name_char(int c) {
  return is_digit(c) || c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}
bool is_special_param(int c) {
  return c == '@' || c == '*' || c == '#' || c == '?' || c == '-' || c == '$' || c == '!' ||
         c == '0';
}

// The word being built and its split into whitespace-separated words.
struct Words {
  std::string word;
  std::vector<std::string> words;
  bool in_word = false;

  void add_char(char c) {
    if (is_space(static_cast<unsigned char>(c))) {
      if (in_word && !word.empty()) {
        words.push_back(std::move(word));
        word.clear();
        in_word = false;
      }
    } else {
      add_raw_char(c);
    }
  }
  void add_raw_char(char c) {
    word += c;
    in_word = true;
  }
  void add_string(std::string_view s) {
    for (char c : s) add_char(c);
  }
  void add_raw_string(std::string_view s) {
    word += s;
    in_word = true;
  }
  std::vector<std::string> take() {
    if (!word.empty()) {
      words.push_back(std::move(word));
      word.clear();
      in_word = false;
    }
    return std::move(words);
  }
};

// UTF-8 aware reversal (trimSuffix turns a rightmost match into a leftmost one).
std::string reverse_utf8(std::string_view s) {
  std::vector<std::string_view> runes;
  for (size_t i = 0; i < s.size();) {
    size_t n = 1;
    while (i + n < s.size() && (static_cast<unsigned char>(s[i + n]) & 0xC0) == 0x80) ++n;
    runes.push_back(s.substr(i, n));
    i += n;
  }
  std::string out;
  for (auto it = runes.rbegin(); it != runes.rend(); ++it) out += *it;
  return out;
}

// Reverses a pattern keeping each "\x" escape pair in order.
std::string reverse_pattern(std::string_view p) {
  std::vector<std::string> toks;
  for (size_t i = 0; i < p.size();) {
    size_t n = 1;
    while (i + n < p.size() && (static_cast<unsigned char>(p[i + n]) & 0xC0) == 0x80) ++n;
    if (p[i] == '\\' && i + n < p.size()) {
      size_t m = 1;
      while (i + n + m < p.size() && (static_cast<unsigned char>(p[i + n + m]) & 0xC0) == 0x80) ++m;
      toks.emplace_back(p.substr(i, n + m));
      i += n + m;
    } else {
      toks.emplace_back(p.substr(i, n));
      i += n;
    }
  }
  std::string out;
  for (auto it = toks.rbegin(); it != toks.rend(); ++it) out += *it;
  return out;
}

// A shell wildcard pattern (? one character, * any string, \ escapes * ? \, and } or / of
// the ${} syntax) as BuildKit's convertShellPatternToRegex, without bracket expressions.
detail::Glob pattern_glob(std::string_view pattern) {
  detail::Glob g;
  detail::Runes p(pattern);
  for (size_t i = 0; i < p.runes.size(); ++i) {
    uint32_t c = p.runes[i];
    if (c == '*') {
      g.add({detail::Glob::Kind::kLoop});
    } else if (c == '?') {
      g.add({detail::Glob::Kind::kAny});
    } else if (c == '\\') {
      uint32_t next = i + 1 < p.runes.size() ? p.runes[i + 1] : 0;
      if (next == '}' || next == '/') continue;
      if (next != '*' && next != '?' && next != '\\')
        throw Error(
            "invalid pattern (" + std::string(pattern) + ") in substitution: invalid escape '\\" +
            (i + 1 < p.runes.size() ? std::string(pattern.substr(
                                          p.offsets[i + 1], p.offsets[i + 2] - p.offsets[i + 1]))
                                    : std::string()) +
            "'");
      g.literal(next);
      ++i;
    } else {
      g.literal(c);
    }
  }
  return g;
}

// value without its shortest (longest when greedy) prefix matching pattern.
std::string trim_prefix(std::string_view pattern, const std::string& value, bool greedy) {
  detail::Runes v(value);
  auto ends = pattern_glob(pattern).match_ends(v.runes, 0);
  for (size_t k = 0; k < ends.size(); ++k) {
    size_t len = greedy ? ends.size() - 1 - k : k;
    if (ends[len]) return value.substr(v.offsets[len]);
  }
  return value;
}

std::string trim_suffix(std::string_view pattern, const std::string& value, bool greedy) {
  return reverse_utf8(trim_prefix(reverse_pattern(pattern), reverse_utf8(value), greedy));
}

// ${VAR/pattern/replacement} (first match) and ${VAR//pattern/replacement} (every match, as
// Go's ReplaceAllString walks them: an empty match right after a match is skipped).
std::string replace(const std::string& value, std::string_view pattern,
                    const std::string& replacement, bool all) {
  auto g = pattern_glob(pattern);
  detail::Runes v(value);
  std::string out;
  size_t last = 0, search = 0;
  while (search <= v.runes.size()) {
    auto m = g.find(v.runes, search);
    if (!m) break;
    auto [a, b] = *m;
    out.append(value, v.offsets[last], v.offsets[a] - v.offsets[last]);
    if (b > last || a == 0) out += replacement;
    last = b;
    if (!all) break;
    search = b > search ? b : search + 1;
  }
  out.append(value, v.offsets[last], std::string::npos);
  return out;
}

// One expansion: the state of BuildKit's shellWord.
class WordExpander {
 public:
  WordExpander(const ShellLex& lex, std::string_view src, const EnvMap& env, LexResult& out)
      : lex_(lex), src_(src), env_(env), out_(out), raw_escapes_(lex.raw_escapes) {}

  void run() {
    auto [word, words] = process_stop_on(kEof, raw_escapes_);
    out_.result = std::move(word);
    out_.words = std::move(words);
  }

 private:
  int peek() const { return pos_ < src_.size() ? static_cast<unsigned char>(src_[pos_]) : kEof; }
  int next() { return pos_ < src_.size() ? static_cast<unsigned char>(src_[pos_++]) : kEof; }

  std::pair<std::string, std::vector<std::string>> process_stop_on(int stop, bool raw_escapes) {
    std::string result;
    Words words;
    bool saved = raw_escapes_;
    raw_escapes_ = raw_escapes;
    while (peek() != kEof) {
      int c = peek();
      if (stop != kEof && c == stop) {
        next();
        raw_escapes_ = saved;
        return {result, words.take()};
      }
      if (c == '$' || (!lex_.skip_process_quotes && (c == '\'' || c == '"'))) {
        std::string tmp = c == '$' ? process_dollar() : c == '\'' ? single_quote() : double_quote();
        result += tmp;
        if (c == '$')
          words.add_string(tmp);
        else
          words.add_raw_string(tmp);
        continue;
      }
      c = next();
      if (c == static_cast<unsigned char>(lex_.escape())) {
        if (raw_escapes_) {
          words.add_raw_char(static_cast<char>(c));
          result += static_cast<char>(c);
        }
        c = next();
        if (c == kEof) break;
        words.add_raw_char(static_cast<char>(c));
      } else {
        words.add_char(static_cast<char>(c));
      }
      result += static_cast<char>(c);
    }
    raw_escapes_ = saved;
    if (stop != kEof)
      throw Error(std::string("unexpected end of statement while looking for matching ") +
                  static_cast<char>(stop));
    return {result, words.take()};
  }

  std::string single_quote() {
    std::string result;
    int c = next();
    if (lex_.raw_quotes) result += static_cast<char>(c);
    for (;;) {
      c = next();
      if (c == kEof)
        throw Error("unexpected end of statement while looking for matching single-quote");
      if (c == '\'') {
        if (lex_.raw_quotes) result += '\'';
        return result;
      }
      result += static_cast<char>(c);
    }
  }

  std::string double_quote() {
    std::string result;
    int c = next();
    if (lex_.raw_quotes) result += static_cast<char>(c);
    const int esc = static_cast<unsigned char>(lex_.escape());
    for (;;) {
      int p = peek();
      if (p == kEof)
        throw Error("unexpected end of statement while looking for matching double-quote");
      if (p == '"') {
        next();
        if (lex_.raw_quotes) result += '"';
        return result;
      }
      if (p == '$') {
        result += process_dollar();
        continue;
      }
      c = next();
      if (c == esc) {
        if (raw_escapes_) result += static_cast<char>(c);
        int after = peek();
        if (after == kEof) continue;  // an escape at the end of the word is dropped
        if (after == '"' || after == '$' || after == esc) c = next();
      }
      result += static_cast<char>(c);
    }
  }

  std::string process_name() {
    std::string name;
    while (peek() != kEof) {
      int c = peek();
      if (name.empty() && is_digit(c)) {
        while (peek() != kEof && is_digit(peek())) name += static_cast<char>(next());
        return name;
      }
      if (name.empty() && is_special_param(c)) return std::string(1, static_cast<char>(next()));
      if (!is_name_char(c)) break;
      name += static_cast<char>(next());
    }
    return name;
  }

  const std::string* get_env(const std::string& name) {
    auto it = env_.find(name);
    if (it == env_.end()) {
      out_.unmatched.insert(name);
      return nullptr;
    }
    out_.matched.insert(name);
    return &it->second;
  }

  std::string process_dollar() {
    next();
    if (peek() != '{') {
      std::string name = process_name();
      if (name.empty()) return "$";
      const std::string* v = get_env(name);
      if (!v && lex_.skip_unset_env) return "$" + name;
      return v ? *v : "";
    }
    next();
    int p = peek();
    if (p == kEof) throw Error("syntax error: missing '}'");
    if (p == '{' || p == '}' || p == ':') throw Error("syntax error: bad substitution");
    std::string name = process_name();
    int c = next();
    if (c == kEof) throw Error("syntax error: missing '}'");
    std::string chs(1, static_cast<char>(c));
    if (c == '}') {
      const std::string* v = get_env(name);
      if (!v && lex_.skip_unset_env) return "${" + name + "}";
      return v ? *v : "";
    }
    if (c == '/') return substitute(name);
    bool null_is_unset = false;
    if (c == ':') {
      null_is_unset = true;
      c = next();
      if (c == kEof) throw Error("syntax error: missing '}'");
      chs += static_cast<char>(c);
    }
    if (c != '+' && c != '-' && c != '?' && c != '#' && c != '%') {
      if (c == ':' || !null_is_unset)
        throw Error("unsupported modifier (" + chs + ") in substitution");
    }
    std::string word = modifier_word(c == '#' || c == '%');
    const std::string* v = get_env(name);
    if (lex_.skip_unset_env && !v) return "${" + name + chs + word + "}";
    const bool unset = !v || (null_is_unset && v->empty());
    switch (c) {
      case '-':
        return unset ? word : *v;
      case '+':
        return unset ? "" : word;
      case '?':
        if (!v) throw Error(name + ": " + (word.empty() ? "is not allowed to be unset" : word));
        if (unset) throw Error(name + ": " + (word.empty() ? "is not allowed to be empty" : word));
        return *v;
      case '%':
      case '#': {
        bool greedy = !word.empty() && word[0] == static_cast<char>(c);
        if (greedy) word.erase(0, 1);
        std::string value = v ? *v : "";
        return c == '%' ? trim_suffix(word, value, greedy) : trim_prefix(word, value, greedy);
      }
      default:
        throw Error("unsupported modifier (" + chs + ") in substitution");
    }
  }

  std::string modifier_word(bool raw_escapes) {
    try {
      return process_stop_on('}', raw_escapes).first;
    } catch (const Error&) {
      if (peek() == kEof) throw Error("syntax error: missing '}'");
      throw;
    }
  }

  // ${VAR/pattern/replacement} and ${VAR//pattern/replacement} (every match).
  std::string substitute(const std::string& name) {
    bool all = peek() == '/';
    if (all) next();
    std::string pattern, replacement;
    try {
      pattern = process_stop_on('/', true).first;
    } catch (const Error&) {
      if (peek() == kEof) throw Error("syntax error: missing '/' in ${}");
      throw;
    }
    replacement = modifier_word(true);
    const std::string* v = get_env(name);
    if (lex_.skip_unset_env && !v) return "${" + name + "/" + pattern + "/" + replacement + "}";
    return replace(v ? *v : "", pattern, replacement, all);
  }

  const ShellLex& lex_;
  std::string_view src_;
  size_t pos_ = 0;
  const EnvMap& env_;
  LexResult& out_;
  bool raw_escapes_;
};

}  // namespace

EnvMap build_envs(const std::vector<std::string>& env) {
  EnvMap out;
  for (const auto& e : env) {
    auto eq = e.find('=');
    if (eq == std::string::npos)
      out[e] = "";
    else
      out[e.substr(0, eq)] = e.substr(eq + 1);
  }
  return out;
}

LexResult ShellLex::process(std::string_view word, const EnvMap& env) const {
  LexResult out;
  try {
    WordExpander(*this, word, env, out).run();
  } catch (const Error& e) {
    // One line whatever the word holds: the word as Go's %q, the reason's newlines escaped.
    std::string why;
    for (char c : std::string_view(e.what()))
      why += c == '\n' ? std::string("\\n") : std::string(1, c);
    throw Error("failed to process " + go_quote(word) + ": " + why);
  }
  return out;
}

}  // namespace berth::dockerfile
