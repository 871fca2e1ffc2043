// .env parsing (see dotenv.h).
#include "compose/dotenv.h"

#include <map>

namespace berth::compose {
namespace {

bool key_char(char c) {
  return c == '_' || c == '.' || c == '-' || c == '[' || c == ']' || (c >= 'a' && c <= 'z') ||
         (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool blank(char c) {
  return c == ' ' || c == '\t';
}

class DotenvParser {
 public:
  DotenvParser(std::string_view text, const std::string& file, const Lookup& lookup, bool raw)
      : s_(text), file_(file), lookup_(lookup), raw_(raw) {}

  EnvList run() {
    while (pos_ < s_.size()) {
      skip_blank();
      if (pos_ >= s_.size()) break;
      if (s_[pos_] == '\n' || s_[pos_] == '\r' || s_[pos_] == '#') {
        skip_line();
        continue;
      }
      entry();
    }
    return out_;
  }

 private:
  [[noreturn]] void fail(const std::string& msg) {
    throw schema::ComposeError(file_ + ":" + std::to_string(line_) + ": " + msg);
  }
  void skip_blank() {
    while (pos_ < s_.size() && blank(s_[pos_])) ++pos_;
  }
  void skip_line() {
    while (pos_ < s_.size() && s_[pos_] != '\n') ++pos_;
    if (pos_ < s_.size()) ++pos_;
    ++line_;
  }

  void entry() {
    if (s_.compare(pos_, 7, "export ") == 0 || s_.compare(pos_, 7, "export\t") == 0) {
      pos_ += 7;
      skip_blank();
    }
    size_t start = pos_;
    while (pos_ < s_.size() && key_char(s_[pos_])) ++pos_;
    std::string key(s_.substr(start, pos_ - start));
    skip_blank();
    if (key.empty())
      fail("unexpected character \"" + std::string(1, s_[pos_]) + "\" in variable name");
    if (pos_ >= s_.size() || s_[pos_] == '\n' || s_[pos_] == '\r' || s_[pos_] == '#') {
      // A bare KEY takes its value from the environment, when it has one.
      skip_line();
      if (auto v = lookup_(key)) add(key, *v);
      return;
    }
    if (s_[pos_] != '=' && s_[pos_] != ':')
      fail("unexpected character \"" + std::string(1, s_[pos_]) + "\" in variable name \"" + key +
           "\"");
    ++pos_;
    if (raw_) {
      size_t end = s_.find('\n', pos_);
      if (end == std::string_view::npos) end = s_.size();
      std::string v(s_.substr(pos_, end - pos_));
      if (!v.empty() && v.back() == '\r') v.pop_back();
      add(key, v);
      pos_ = end;
      skip_line();
      return;
    }
    skip_blank();
    add(key, value());
  }

  std::string value() {
    if (pos_ < s_.size() && (s_[pos_] == '\'' || s_[pos_] == '"')) return quoted(s_[pos_]);
    size_t end = pos_;
    while (end < s_.size() && s_[end] != '\n') {
      // An inline comment starts at a '#' preceded by a blank.
      if (s_[end] == '#' && end > pos_ && blank(s_[end - 1])) break;
      ++end;
    }
    std::string v(s_.substr(pos_, end - pos_));
    while (!v.empty() && (blank(v.back()) || v.back() == '\r')) v.pop_back();
    pos_ = end;
    skip_line();
    return expand(v);
  }

  std::string quoted(char q) {
    int start_line = line_;
    std::string v;
    ++pos_;
    for (;; ++pos_) {
      if (pos_ >= s_.size()) {
        line_ = start_line;
        fail(std::string("unterminated quoted value (missing ") + q + ")");
      }
      char c = s_[pos_];
      if (c == q) break;
      if (c == '\n') ++line_;
      if (q == '"' && c == '\\' && pos_ + 1 < s_.size()) {
        c = s_[++pos_];
        switch (c) {
          case 'n':
            v += '\n';
            continue;
          case 't':
            v += '\t';
            continue;
          case 'r':
            v += '\r';
            continue;
          case '$':
            v += "$$";
            continue;
          case '"':
          case '\\':
          case '\'':
            v += c;
            continue;
          default:
            v += '\\';
            v += c;
            continue;
        }
      }
      v += c;
    }
    ++pos_;
    skip_line();  // anything after the closing quote is a comment
    return q == '"' ? expand(v) : v;
  }

  std::string expand(const std::string& v) {
    if (v.find('$') == std::string::npos) return v;
    Lookup chained = [this](std::string_view name) -> std::optional<std::string> {
      auto it = seen_.find(std::string(name));
      if (it != seen_.end()) return it->second;
      return lookup_(name);
    };
    try {
      return interpolate_string(v, chained);
    } catch (const InterpolationError& e) {
      fail(e.what());
    }
  }

  void add(const std::string& key, const std::string& value) {
    seen_[key] = value;
    for (auto& kv : out_) {
      if (kv.first == key) {
        kv.second = value;
        return;
      }
    }
    out_.emplace_back(key, value);
  }

  std::string_view s_;
  const std::string& file_;
  const Lookup& lookup_;
  bool raw_;
  size_t pos_ = 0;
  int line_ = 1;
  EnvList out_;
  std::map<std::string, std::string> seen_;
};

}  // namespace

EnvList parse_dotenv(std::string_view text, const std::string& file, const Lookup& lookup,
                     bool raw) {
  return DotenvParser(text, file, lookup, raw).run();
}

}  // namespace berth::compose
