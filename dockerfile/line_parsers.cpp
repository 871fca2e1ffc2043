#include "dockerfile/line_parsers.h"

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "dockerfile/ascii.h"

namespace berth::dockerfile::detail {

namespace {

// The separators of BuildKit's reWhitespace ([\t\v\f\r ]+): no newline.
bool is_sep(char c) {
  return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r';
}

std::string_view trim_space(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// regexp.Split(s, n) on reWhitespace; n < 0 splits everywhere.
std::vector<std::string> split_whitespace(std::string_view s, int n) {
  std::vector<std::string> out;
  size_t start = 0, i = 0;
  while (i < s.size() && (n < 0 || static_cast<int>(out.size()) < n - 1)) {
    if (!is_sep(s[i])) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < s.size() && is_sep(s[j])) ++j;
    out.emplace_back(s.substr(start, i - start));
    start = i = j;
  }
  out.emplace_back(s.substr(start));
  return out;
}

const char kNotStringArray[] =
    "when using JSON array syntax, arrays must be comprised of strings only";

// A JSON array of strings: true with node.args set; false when rest is not a JSON array
// (the caller falls back to the shell form); throws when it is an array of non-strings.
bool parse_json(Node& node, std::string_view rest) {
  while (!rest.empty() && is_space(rest.front())) rest.remove_prefix(1);
  if (rest.empty() || rest.front() != '[') return false;
  auto j = nlohmann::json::parse(rest, nullptr, false);
  if (j.is_discarded() || !j.is_array()) return false;
  std::vector<std::string> args;
  for (const auto& v : j) {
    if (!v.is_string()) throw Error(kNotStringArray);
    args.push_back(v.get<std::string>());
  }
  node.args = std::move(args);
  node.json = true;
  return true;
}

void parse_strings_whitespace_delimited(Node& node, std::string_view rest) {
  if (rest.empty()) return;
  node.args = split_whitespace(rest, -1);
}

void parse_maybe_json(Node& node, std::string_view rest) {
  if (rest.empty()) return;
  if (parse_json(node, rest)) return;
  node.args = {std::string(rest)};
}

void parse_maybe_json_to_list(Node& node, std::string_view rest) {
  if (parse_json(node, rest)) return;
  parse_strings_whitespace_delimited(node, rest);
}

// ENV and LABEL: `KEY value` (legacy) or `K=V ...`; args are (key, value, separator) triples.
void parse_name_val(Node& node, std::string_view rest, char escape, const char* keyword) {
  auto words = parse_words(rest, escape);
  if (words.empty()) return;
  if (words[0].find('=') == std::string::npos) {
    auto parts = split_whitespace(rest, 2);
    if (parts.size() < 2) throw Error(std::string(keyword) + " must have two arguments");
    node.args = {parts[0], parts[1], ""};
    return;
  }
  for (const auto& w : words) {
    auto eq = w.find('=');
    if (eq == std::string::npos)
      throw Error("Syntax error - can't find = in " + go_quote(w) +
                  ". Must be of the form: name=value");
    node.args.push_back(w.substr(0, eq));
    node.args.push_back(w.substr(eq + 1));
    node.args.push_back("=");
  }
}

// HEALTHCHECK: the type word (CMD, NONE) then CMD's command as RUN's.
void parse_health_config(Node& node, std::string_view rest) {
  size_t sep = 0;
  while (sep < rest.size() && !is_space(rest[sep])) ++sep;
  size_t next = sep;
  while (next < rest.size() && is_space(rest[next])) ++next;
  if (sep == 0) return;
  Node cmd;
  parse_maybe_json(cmd, rest.substr(next));
  node.args.emplace_back(rest.substr(0, sep));
  node.args.insert(node.args.end(), cmd.args.begin(), cmd.args.end());
  node.json = cmd.json;
}

}  // namespace

SplitLine split_command(std::string_view line, char escape) {
  (void)escape;  // BuildKit reads flags with a fixed backslash escape
  SplitLine out;
  line = trim_space(line);
  size_t ws = 0;
  while (ws < line.size() && !is_sep(line[ws])) ++ws;
  out.keyword = to_lower(line.substr(0, ws));
  size_t pos = ws;
  while (pos < line.size() && is_sep(line[pos])) ++pos;
  if (ws == line.size()) return out;
  std::string_view rest = line.substr(pos);

  // Leading words that start with "--" are flags; "--" alone ends them.
  enum { kSpaces, kWord, kQuote } phase = kSpaces;
  std::string word;
  char quote = 0;
  bool blank_ok = false;
  for (size_t i = 0; i <= rest.size(); ++i) {
    char c = i < rest.size() ? rest[i] : '\0';
    if (phase == kSpaces) {
      if (i == rest.size()) break;
      if (is_space(c)) continue;
      if (c != '-' || i + 1 == rest.size() || rest[i + 1] != '-') {
        out.rest.assign(trim_space(rest.substr(i)));
        return out;
      }
      phase = kWord;
    }
    if (i == rest.size()) {
      if (word != "--" && (blank_ok || !word.empty())) out.flags.push_back(word);
      break;
    }
    if (phase == kWord) {
      if (is_space(c)) {
        phase = kSpaces;
        if (word == "--") {
          out.rest.assign(trim_space(rest.substr(i)));
          return out;
        }
        if (blank_ok || !word.empty()) out.flags.push_back(word);
        word.clear();
        blank_ok = false;
        continue;
      }
      if (c == '\'' || c == '"') {
        quote = c;
        blank_ok = true;
        phase = kQuote;
        continue;
      }
      if (c == '\\') {
        if (i + 1 == rest.size()) continue;
        c = rest[++i];
      }
      word += c;
      continue;
    }
    if (c == quote) {
      phase = kWord;
      continue;
    }
    if (c == '\\') {
      if (i + 1 == rest.size()) {
        phase = kWord;
        continue;
      }
      c = rest[++i];
    }
    word += c;
  }
  return out;
}

std::vector<std::string> parse_words(std::string_view rest, char escape) {
  enum { kSpaces, kWord, kQuote } phase = kSpaces;
  std::vector<std::string> words;
  std::string word;
  char quote = 0;
  bool blank_ok = false;
  for (size_t i = 0; i <= rest.size(); ++i) {
    char c = i < rest.size() ? rest[i] : '\0';
    if (phase == kSpaces) {
      if (i == rest.size()) break;
      if (is_space(c)) continue;
      phase = kWord;
    }
    if (i == rest.size()) {
      if (blank_ok || !word.empty()) words.push_back(word);
      break;
    }
    if (phase == kWord) {
      if (is_space(c)) {
        phase = kSpaces;
        if (blank_ok || !word.empty()) words.push_back(word);
        word.clear();
        blank_ok = false;
        continue;
      }
      if (c == '\'' || c == '"') {
        quote = c;
        blank_ok = true;
        phase = kQuote;
      }
      if (c == escape) {
        if (i + 1 == rest.size()) continue;  // an escape at the end of the line is dropped
        // Outside quotes the escape and the character after it are both kept.
        word += c;
        c = rest[++i];
      }
      word += c;
      continue;
    }
    if (c == quote) phase = kWord;
    if (c == escape && quote != '\'') {
      if (i + 1 == rest.size()) {
        phase = kWord;
        continue;
      }
      word += c;
      c = rest[++i];
    }
    word += c;
  }
  return words;
}

void parse_arguments(Node& node, std::string_view rest, char escape) {
  const std::string& k = node.value;
  if (k == "add" || k == "copy" || k == "volume") {
    parse_maybe_json_to_list(node, rest);
  } else if (k == "arg") {
    node.args = parse_words(rest, escape);
  } else if (k == "cmd" || k == "entrypoint" || k == "run" || k == "shell") {
    parse_maybe_json(node, rest);
  } else if (k == "env") {
    parse_name_val(node, rest, escape, "ENV");
  } else if (k == "label") {
    parse_name_val(node, rest, escape, "LABEL");
  } else if (k == "expose" || k == "from") {
    parse_strings_whitespace_delimited(node, rest);
  } else if (k == "healthcheck") {
    parse_health_config(node, rest);
  } else if (k == "maintainer" || k == "stopsignal" || k == "user" || k == "workdir") {
    if (!rest.empty()) node.args = {std::string(rest)};
  } else if (k == "onbuild") {
    if (rest.empty()) return;
    auto sub = std::make_unique<Node>();
    auto split = split_command(rest, escape);
    sub->value = split.keyword;
    sub->flags = split.flags;
    sub->original = std::string(rest);
    parse_arguments(*sub, split.rest, escape);
    node.sub = std::move(sub);
  } else {
    // Unknown instructions parse (BuildKit's parseIgnore: one empty argument); the typed
    // layer rejects them.
    node.args = {""};
  }
}

}  // namespace berth::dockerfile::detail
