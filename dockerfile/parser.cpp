#include "dockerfile/parser.h"

#include <optional>

#include "common/error.h"
#include "dockerfile/ascii.h"
#include "dockerfile/line_parsers.h"
#include "dockerfile/shell_lex.h"

namespace berth::dockerfile {

namespace {

std::string_view trim_left(std::string_view s) {
  while (!s.empty() && detail::is_space(s.front())) s.remove_prefix(1);
  return s;
}

std::string_view trim_newline(std::string_view s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool is_comment(std::string_view line) {
  line = trim_left(line);
  return !line.empty() && line.front() == '#';
}

// Physical lines with their line endings (BuildKit's scanLines).
class Lines {
 public:
  explicit Lines(std::string_view text) : text_(text) {}
  std::optional<std::string_view> next() {
    if (pos_ >= text_.size()) return std::nullopt;
    size_t nl = text_.find('\n', pos_);
    size_t end = nl == std::string_view::npos ? text_.size() : nl + 1;
    auto line = text_.substr(pos_, end - pos_);
    pos_ = end;
    return line;
  }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

// Parser directives (`# escape=`, `# syntax=`, `# check=`): only in the comment lines at the
// very top; the first other line ends them.
class Directives {
 public:
  char escape = '\\';

  // True when line was a directive. Throws for a repeated directive or a bad escape.
  bool parse_line(std::string_view line) {
    if (done_) return false;
    if (line.empty() || line.front() != '#') {
      done_ = true;
      return false;
    }
    line = trim_left(line.substr(1));
    size_t i = 0;
    auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
    auto digit = [](char c) { return c >= '0' && c <= '9'; };
    if (line.empty() || !alpha(line[0])) return stop();
    while (i < line.size() && (alpha(line[i]) || digit(line[i]))) ++i;
    std::string key = detail::to_lower(line.substr(0, i));
    auto rest = trim_left(line.substr(i));
    if (rest.empty() || rest.front() != '=') return stop();
    rest.remove_prefix(1);
    rest = trim_left(rest);
    while (!rest.empty() && detail::is_space(rest.back())) rest.remove_suffix(1);
    if (rest.empty()) return stop();
    if (key != "escape" && key != "syntax" && key != "check") return stop();
    for (const auto& s : seen_)
      if (s == key) throw Error("only one " + key + " parser directive can be used");
    seen_.push_back(key);
    if (key == "escape") {
      if (rest != "`" && rest != "\\")
        throw Error("invalid escape token '" + std::string(rest) + "' does not match ` or \\");
      escape = rest.front();
    }
    return true;
  }

 private:
  bool stop() {
    done_ = true;
    return false;
  }
  bool done_ = false;
  std::vector<std::string> seen_;
};

// The escape character at the end of a line (spaces after it allowed) continues it, unless
// it is itself escaped; returns the line without it, and whether the line ended.
std::pair<std::string_view, bool> trim_continuation(std::string_view line, char escape) {
  std::string_view t = line;
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
  if (t.empty() || t.back() != escape) return {line, true};
  if (t.size() >= 2 && t[t.size() - 2] == escape) return {line, true};
  return {t.substr(0, t.size() - 1), false};
}

}  // namespace

std::optional<Heredoc> parse_heredoc(std::string_view src) {
  size_t i = 0;
  while (i < src.size() && src[i] >= '0' && src[i] <= '9') ++i;
  if (src.substr(i, 2) != "<<") return std::nullopt;
  std::string_view digits = src.substr(0, i);
  i += 2;
  bool chomp = i < src.size() && src[i] == '-';
  if (chomp) ++i;
  std::string_view rest = src.substr(i);
  if (rest.empty() || rest.find('<') != std::string_view::npos) return std::nullopt;

  // Lexed with and without quotes: a quote anywhere in the word turns expansion off.
  ShellLex lex('\\');
  lex.skip_unset_env = true;
  auto words = lex.process_words(rest, {});
  if (words.size() != 1) return std::nullopt;
  lex.raw_quotes = true;
  auto raw = lex.process_words(rest, {});
  if (raw.size() != words.size())
    throw Error("internal lexing of heredoc produced inconsistent results: " + std::string(rest));
  auto quotes = [](const std::string& w) {
    size_t n = 0;
    for (char c : w) n += c == '\'' || c == '"';
    return n;
  };
  Heredoc h;
  h.name = words[0];
  h.expand = quotes(words[0]) == quotes(raw[0]);
  h.chomp = chomp;
  unsigned long fd = 0;
  for (char c : digits) fd = fd * 10 + static_cast<unsigned>(c - '0');
  h.fd = static_cast<unsigned>(fd);
  return h;
}

namespace {

std::vector<Heredoc> heredocs_from_line(std::string_view line) {
  ShellLex lex('\\');
  lex.raw_quotes = true;
  lex.raw_escapes = true;
  lex.skip_unset_env = true;
  std::vector<std::string> words;
  try {
    words = lex.process_words(line, {});
  } catch (const Error&) {
    // BuildKit ignores this error too: a line that does not lex has no heredoc words.
    words.clear();
  }
  std::vector<Heredoc> out;
  for (const auto& w : words)
    if (auto h = parse_heredoc(w)) out.push_back(std::move(*h));
  return out;
}

bool can_contain_heredoc(const Node& node) {
  const Node* n = &node;
  if (n->value == "onbuild" && n->sub) n = n->sub.get();
  if (n->value != "run" && n->value != "copy" && n->value != "add") return false;
  return !n->json;
}

[[noreturn]] void fail(std::string_view file, int line, const std::string& msg) {
  throw Error(std::string(file) + ":" + std::to_string(line) + ": " + msg);
}

}  // namespace

ParseResult parse(std::string_view text, std::string_view file_name) {
  ParseResult result;
  Directives directives;
  Lines lines(text);
  int current = 0;
  std::vector<std::string> comments;
  bool any = false;

  while (auto raw = lines.next()) {
    std::string_view bytes = *raw;
    if (current == 0 && bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
    if (is_comment(bytes)) {
      auto c = trim_left(trim_newline(trim_left(bytes).substr(1)));
      while (!c.empty() && detail::is_space(c.back())) c.remove_suffix(1);
      if (c.empty())
        comments.clear();
      else
        comments.emplace_back(c);
    }
    std::string_view token = trim_left(trim_newline(bytes));
    bool directive;
    try {
      directive = directives.parse_line(token);
    } catch (const Error& e) {
      fail(file_name, current + 1, e.what());
    }
    if (directive && !comments.empty()) comments.pop_back();
    if (is_comment(token)) token = {};
    ++current;

    const int start = current;
    auto [first, end_of_line] = trim_continuation(token, directives.escape);
    if (end_of_line && first.empty()) continue;
    std::string line(first);
    bool empty_continuation = false;
    while (!end_of_line) {
      auto more = lines.next();
      if (!more) break;
      std::string_view cont = trim_newline(*more);
      try {
        directives.parse_line(cont);
      } catch (const Error& e) {
        fail(file_name, current + 1, e.what());
      }
      ++current;
      if (is_comment(cont)) continue;
      if (trim_left(cont).empty()) {
        empty_continuation = true;
        continue;
      }
      auto [part, eol] = trim_continuation(cont, directives.escape);
      line += part;
      end_of_line = eol;
    }
    if (empty_continuation) result.warnings.push_back("Empty continuation line found in: " + line);

    Node node;
    try {
      auto split = detail::split_command(line, directives.escape);
      node.value = split.keyword;
      node.flags = std::move(split.flags);
      node.original = line;
      detail::parse_arguments(node, split.rest, directives.escape);
    } catch (const Error& e) {
      fail(file_name, start, e.what());
    }
    node.comments = std::move(comments);
    comments.clear();

    if (can_contain_heredoc(node) && line.find("<<") != std::string::npos) {
      std::vector<Heredoc> docs;
      try {
        docs = heredocs_from_line(line);
      } catch (const Error& e) {
        fail(file_name, start, e.what());
      }
      for (auto& doc : docs) {
        bool terminated = false;
        while (auto body = lines.next()) {
          ++current;
          std::string_view candidate = trim_newline(*body);
          if (doc.chomp)
            while (!candidate.empty() && candidate.front() == '\t') candidate.remove_prefix(1);
          if (candidate == doc.name) {
            terminated = true;
            break;
          }
          doc.content += *body;
        }
        if (!terminated) fail(file_name, start, "unterminated heredoc");
        node.heredocs.push_back(std::move(doc));
      }
    }
    node.start_line = start;
    node.end_line = current;
    if (node.sub) {
      node.sub->start_line = start;
      node.sub->end_line = current;
    }
    result.children.push_back(std::move(node));
    any = true;
  }
  if (!any) fail(file_name, current > 0 ? current : 1, "file with no instructions");
  result.escape = directives.escape;
  return result;
}

std::string go_quote(std::string_view s) {
  static const char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      switch (c) {
        case '"':
          out += "\\\"";
          break;
        case '\\':
          out += "\\\\";
          break;
        case '\a':
          out += "\\a";
          break;
        case '\b':
          out += "\\b";
          break;
        case '\f':
          out += "\\f";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        case '\v':
          out += "\\v";
          break;
        default:
          if (c < 0x20 || c == 0x7f) {
            out += "\\x";
            out += kHex[c >> 4];
            out += kHex[c & 15];
          } else {
            out += static_cast<char>(c);
          }
      }
      ++i;
      continue;
    }
    // A valid UTF-8 sequence is kept (printable) or written \uXXXX (C1 controls, NBSP,
    // soft hyphen, line/paragraph separators, BOM); an invalid byte is written \xNN.
    size_t n = c >= 0xF0 && c < 0xF5 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
    bool valid = n > 0 && i + n <= s.size();
    unsigned cp = n == 2 ? c & 0x1F : n == 3 ? c & 0x0F : c & 0x07;
    for (size_t k = 1; valid && k < n; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) valid = false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (valid && ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
                  (cp >= 0xD800 && cp <= 0xDFFF)))
      valid = false;
    if (!valid) {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
      ++i;
      continue;
    }
    if (cp < 0xA0 || cp == 0xA0 || cp == 0xAD || cp == 0x2028 || cp == 0x2029 || cp == 0xFEFF) {
      out += "\\u";
      for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(cp >> shift) & 15];
    } else {
      out.append(s.substr(i, n));
    }
    i += n;
  }
  return out + "\"";
}

std::string dump(const Node& node) {
  std::string out = node.value;
  if (!node.flags.empty()) {
    out += " [";
    for (size_t i = 0; i < node.flags.size(); ++i) out += (i ? " " : "") + go_quote(node.flags[i]);
    out += "]";
  }
  if (node.sub) out += " (" + dump(*node.sub) + ")";
  for (const auto& a : node.args) out += " " + go_quote(a);
  return out;
}

std::string dump(const ParseResult& result) {
  std::string out;
  for (const auto& n : result.children) out += "(" + dump(n) + ")\n";
  if (!out.empty()) out.pop_back();
  return out;
}

}  // namespace berth::dockerfile
