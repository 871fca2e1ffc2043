#include "cli/format/template.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include "common/error.h"

namespace berth::cli::format {

namespace {

using Arg = Template::Arg;
using Command = Template::Command;
using Node = Template::Node;

[[noreturn]] void fail(const std::string& what) {
  throw Error("template: " + what, 125);
}

bool ident_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// Go's keywords and what Docker users reach for that this subset does not do.
bool unsupported_keyword(const std::string& word) {
  for (const char* k : {"if", "else", "end", "range", "with", "define", "template", "block",
                        "break", "continue", "nil", "true", "false"})
    if (word == k) return true;
  return false;
}

// A "..." literal with Go's common escapes, or a `...` raw one; `pos` is at the quote.
std::string parse_string(const std::string& s, size_t& pos) {
  const char quote = s[pos++];
  std::string out;
  while (pos < s.size() && s[pos] != quote) {
    char c = s[pos++];
    if (quote == '"' && c == '\\' && pos < s.size()) {
      char e = s[pos++];
      c = e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e;
    }
    out += c;
  }
  if (pos >= s.size()) fail("unterminated quoted string in {{" + s + "}}");
  ++pos;
  return out;
}

Arg parse_arg(const std::string& s, size_t& pos) {
  const char c = s[pos];
  if (c == '"' || c == '`') return {Arg::Kind::kString, {}, parse_string(s, pos)};
  if (c == '.') {
    Arg a{Arg::Kind::kField, {}, {}};
    ++pos;
    while (pos < s.size() && ident_char(s[pos])) {
      size_t start = pos;
      while (pos < s.size() && ident_char(s[pos])) ++pos;
      a.path.push_back(s.substr(start, pos - start));
      if (pos < s.size() && s[pos] == '.') ++pos;
    }
    return a;
  }
  if (std::isdigit(static_cast<unsigned char>(c)) || c == '-') {
    size_t start = pos++;
    while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) ++pos;
    try {
      return {Arg::Kind::kNumber, {}, {}, std::stoll(s.substr(start, pos - start))};
    } catch (const std::exception&) {
      fail("bad number \"" + s.substr(start, pos - start) + "\" in {{" + s + "}}");
    }
  }
  if (std::isalpha(static_cast<unsigned char>(c))) {
    size_t start = pos;
    while (pos < s.size() && ident_char(s[pos])) ++pos;
    std::string word = s.substr(start, pos - start);
    if (unsupported_keyword(word)) fail("unsupported action {{" + s + "}}");
    return {Arg::Kind::kFunction, {}, word};
  }
  if (c == '$') fail("variables are not supported: {{" + s + "}}");
  if (c == '(') fail("parentheses are not supported: {{" + s + "}}");
  fail("unexpected \"" + std::string(1, c) + "\" in {{" + s + "}}");
}

std::vector<Command> parse_pipeline(const std::string& s) {
  std::vector<Command> pipeline(1);
  size_t pos = 0;
  while (pos < s.size()) {
    if (s[pos] == ' ' || s[pos] == '\t' || s[pos] == '\n') {
      ++pos;
    } else if (s[pos] == '|') {
      if (pipeline.back().empty()) fail("missing command before | in {{" + s + "}}");
      pipeline.emplace_back();
      ++pos;
    } else {
      pipeline.back().push_back(parse_arg(s, pos));
    }
  }
  if (pipeline.back().empty()) fail("missing value for command in {{" + s + "}}");
  for (const auto& cmd : pipeline)
    if (cmd.size() > 1 && cmd[0].kind != Arg::Kind::kFunction &&
        !(cmd[0].kind == Arg::Kind::kField && cmd[0].path == std::vector<std::string>{"Label"}))
      fail("can't give argument to non-function in {{" + s + "}}");
  return pipeline;
}

const std::vector<std::string>& known_functions() {
  static const std::vector<std::string> k = {"json",  "split",   "join", "title",
                                             "lower", "upper",   "pad",  "truncate",
                                             "print", "println", "len",  "index"};
  return k;
}

// ---- execution ----

// A value, or none (a missing map key: Go prints "<no value>").
using Value = std::optional<json>;

// Go's fmt %v: strings bare, [a b] for lists, map[k:v] (keys sorted) for objects.
std::string go_text(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "<nil>";
  if (v.is_array()) {
    std::string out = "[";
    for (size_t i = 0; i < v.size(); ++i) out += (i ? " " : "") + go_text(v[i]);
    return out + "]";
  }
  if (v.is_object()) {
    std::map<std::string, const json*> sorted;
    for (const auto& [k, item] : v.items()) sorted[k] = &item;
    std::string out = "map[";
    for (const auto& [k, item] : sorted)
      out += (out.size() > 4 ? " " : "") + k + ":" + go_text(*item);
    return out + "]";
  }
  return v.dump();
}

std::string text_of(const Value& v) {
  return v ? go_text(*v) : "<no value>";
}

std::string want_string(const std::string& fn, const Value& v) {
  if (!v || !v->is_string())
    fail("wrong type for value in " + fn + ": expected string; got " +
         (v ? std::string(v->type_name()) : "<no value>"));
  return v->get<std::string>();
}

int64_t want_number(const std::string& fn, const Value& v) {
  if (!v || !v->is_number_integer()) fail("wrong type for value in " + fn + ": expected int");
  return v->get<int64_t>();
}

void want_args(const std::string& fn, const std::vector<Value>& args, size_t n) {
  if (args.size() != n)
    fail("wrong number of args for " + fn + ": want " + std::to_string(n) + " got " +
         std::to_string(args.size()));
}

std::string title_case(std::string s) {
  bool start = true;
  for (char& c : s) {
    if (start && std::isalpha(static_cast<unsigned char>(c)))
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    start = !ident_char(c) && c != '\'';
  }
  return s;
}

json split(const std::string& s, const std::string& sep) {
  json out = json::array();
  if (sep.empty()) {
    for (char c : s) out.push_back(std::string(1, c));
    return out;
  }
  size_t pos = 0;
  for (size_t hit; (hit = s.find(sep, pos)) != std::string::npos; pos = hit + sep.size())
    out.push_back(s.substr(pos, hit - pos));
  out.push_back(s.substr(pos));
  return out;
}

Value index_of(const Value& v, const std::vector<Value>& keys) {
  Value cur = v;
  for (const auto& k : keys) {
    if (!cur) fail("index of untyped nil");
    if (cur->is_object() && k && k->is_string()) {
      auto it = cur->find(k->get<std::string>());
      cur = it == cur->end() ? Value() : Value(*it);
    } else if (cur->is_array() && k && k->is_number_integer()) {
      int64_t i = k->get<int64_t>();
      if (i < 0 || static_cast<size_t>(i) >= cur->size()) fail("index out of range: " + k->dump());
      cur = (*cur)[static_cast<size_t>(i)];
    } else {
      fail("can't index item of type " + std::string(cur->type_name()));
    }
  }
  return cur;
}

Value call(const std::string& fn, const std::vector<Value>& a) {
  if (fn == "json") {
    want_args(fn, a, 1);
    // docker/cli's json function: Go's encoder with HTML escaping off.
    return json(a[0] ? a[0]->dump() : "null");
  }
  if (fn == "upper" || fn == "lower") {
    want_args(fn, a, 1);
    std::string s = want_string(fn, a[0]);
    for (char& c : s)
      c = static_cast<char>(fn == "upper" ? std::toupper(static_cast<unsigned char>(c))
                                          : std::tolower(static_cast<unsigned char>(c)));
    return json(s);
  }
  if (fn == "title") {
    want_args(fn, a, 1);
    return json(title_case(want_string(fn, a[0])));
  }
  if (fn == "split") {
    want_args(fn, a, 2);
    return split(want_string(fn, a[0]), want_string(fn, a[1]));
  }
  if (fn == "join") {
    want_args(fn, a, 2);
    if (!a[0] || !a[0]->is_array()) fail("wrong type for value in join: expected []string");
    std::string out, sep = want_string(fn, a[1]);
    for (size_t i = 0; i < a[0]->size(); ++i)
      out += (i ? sep : "") + want_string(fn, Value((*a[0])[i]));
    return json(out);
  }
  if (fn == "pad") {
    want_args(fn, a, 3);
    std::string s = want_string(fn, a[0]);
    if (s.empty()) return json(s);
    auto spaces = [&](const Value& n) {
      return std::string(static_cast<size_t>(std::max<int64_t>(0, want_number(fn, n))), ' ');
    };
    return json(spaces(a[1]) + s + spaces(a[2]));
  }
  if (fn == "truncate") {
    want_args(fn, a, 2);
    std::string s = want_string(fn, a[0]);
    int64_t n = want_number(fn, a[1]);
    return json(n < 0 || s.size() < static_cast<size_t>(n) ? s : s.substr(0, n));
  }
  if (fn == "len") {
    want_args(fn, a, 1);
    if (!a[0] || a[0]->is_null() || a[0]->is_number() || a[0]->is_boolean())
      fail("len of " + text_of(a[0]));
    return json(a[0]->is_string() ? a[0]->get<std::string>().size() : a[0]->size());
  }
  if (fn == "index") {
    if (a.empty()) fail("wrong number of args for index: want at least 1 got 0");
    return index_of(a[0], {a.begin() + 1, a.end()});
  }
  // print and println: Go's fmt.Sprint adds spaces between operands when neither is a
  // string; Sprintln always does, and ends the line.
  std::string out;
  for (size_t i = 0; i < a.size(); ++i) {
    bool strings = a[i] && a[i]->is_string() && i > 0 && a[i - 1] && a[i - 1]->is_string();
    if (i > 0 && (fn == "println" || !strings)) out += ' ';
    out += text_of(a[i]);
  }
  return json(fn == "println" ? out + "\n" : out);
}

// "com.example.my-label" → "my label", docker/cli's SubHeaderContext.Label.
std::string label_header(const std::string& key) {
  std::string h = key.substr(key.rfind('.') == std::string::npos ? 0 : key.rfind('.') + 1);
  for (char& c : h)
    if (c == '-' || c == '_') c = ' ';
  return h;
}

class Executor {
 public:
  Executor(const TemplateData* data, const std::map<std::string, std::string>* headers)
      : data_(data), headers_(headers) {}

  Value run(const std::vector<Command>& pipeline) const {
    Value piped;
    bool have_piped = false;
    for (const auto& cmd : pipeline) {
      piped = command(cmd, have_piped ? &piped : nullptr);
      have_piped = true;
    }
    return piped;
  }

 private:
  Value command(const Command& cmd, const Value* piped) const {
    const Arg& head = cmd[0];
    std::vector<Value> args;
    for (size_t i = 1; i < cmd.size(); ++i) args.push_back(operand(cmd[i]));
    if (piped) args.push_back(*piped);
    if (head.kind == Arg::Kind::kFunction) {
      if (headers_ && !args.empty() && head.text != "pad" && head.text != "print" &&
          head.text != "println" && head.text != "len" && head.text != "index")
        return args[0];
      return call(head.text, args);
    }
    if (head.kind == Arg::Kind::kField && head.path == std::vector<std::string>{"Label"})
      return label(args);
    if (!args.empty()) fail("can't give argument to non-function");
    return operand(head);
  }

  Value label(const std::vector<Value>& args) const {
    want_args("Label", args, 1);
    const std::string key = want_string("Label", args[0]);
    if (headers_) return json(label_header(key));
    if (!data_->labels) fail("can't evaluate field Label");
    auto it = data_->labels->find(key);
    return json(it == data_->labels->end() ? "" : it->second);
  }

  Value operand(const Arg& a) const {
    switch (a.kind) {
      case Arg::Kind::kString:
        return json(a.text);
      case Arg::Kind::kNumber:
        return json(a.number);
      case Arg::Kind::kFunction:
        return call(a.text, {});
      case Arg::Kind::kField:
        break;
    }
    if (headers_) {
      if (a.path.empty()) return json("");
      auto it = headers_->find(a.path[0]);
      return it == headers_->end() ? Value() : Value(json(it->second));
    }
    return field(a.path);
  }

  Value field(const std::vector<std::string>& path) const {
    const json* cur = &data_->dot;
    for (size_t i = 0; i < path.size(); ++i) {
      const bool known = cur->is_object() && cur->contains(path[i]);
      if (!known && (data_->strict || !cur->is_object())) {
        if (i == 0 && path[0] == "Label") fail("wrong number of args for Label: want 1 got 0");
        fail("can't evaluate field " + path[i]);
      }
      if (!known) return Value();
      cur = &(*cur)[path[i]];
    }
    return *cur;
  }

  const TemplateData* data_;
  const std::map<std::string, std::string>* headers_;
};

}  // namespace

Template::Template(const std::string& text) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t open = text.find("{{", pos);
    std::string literal = text.substr(pos, open == std::string::npos ? open : open - pos);
    if (open == std::string::npos) {
      nodes_.push_back({literal, {}});
      break;
    }
    size_t close = text.find("}}", open + 2);
    if (close == std::string::npos) fail("unclosed action in \"" + text + "\"");
    size_t begin = open + 2, end = close;
    // {{- and -}} trim the white space next to the action, as Go does.
    if (text.compare(begin, 2, "- ") == 0) {
      literal.erase(literal.find_last_not_of(" \t\r\n") + 1);
      begin += 2;
    }
    bool trim_after = end >= begin + 2 && text.compare(end - 2, 2, " -") == 0;
    if (trim_after) end -= 2;
    nodes_.push_back({literal, {}});
    std::string action = text.substr(begin, end - begin);
    if (action.find_first_not_of(" \t\n") == std::string::npos) fail("missing value for command");
    if (action.find("/*") != std::string::npos)
      fail("comments are not supported: {{" + action + "}}");
    Node node{"", parse_pipeline(action)};
    for (const auto& cmd : node.pipeline)
      for (const auto& arg : cmd)
        if (arg.kind == Arg::Kind::kFunction &&
            std::find(known_functions().begin(), known_functions().end(), arg.text) ==
                known_functions().end())
          fail("function \"" + arg.text + "\" not defined");
    nodes_.push_back(std::move(node));
    pos = close + 2;
    if (trim_after)
      while (pos < text.size() && std::isspace(static_cast<unsigned char>(text[pos]))) ++pos;
  }
}

std::string Template::render(const TemplateData& data) const {
  Executor ex(&data, nullptr);
  std::string out;
  for (const auto& n : nodes_) out += n.pipeline.empty() ? n.text : text_of(ex.run(n.pipeline));
  return out;
}

std::string Template::render_header(const std::map<std::string, std::string>& headers) const {
  Executor ex(nullptr, &headers);
  std::string out;
  for (const auto& n : nodes_) out += n.pipeline.empty() ? n.text : text_of(ex.run(n.pipeline));
  return out;
}

std::string render_template(const std::string& format, const json& value) {
  try {
    return Template(format).render({value});
  } catch (const Error& e) {
    throw e.with_context("--format");
  }
}

std::string go_json_escape(const std::string& json_text) {
  std::string out;
  out.reserve(json_text.size());
  for (char c : json_text) {
    if (c == '<')
      out += "\\u003c";
    else if (c == '>')
      out += "\\u003e";
    else if (c == '&')
      out += "\\u0026";
    else
      out += c;
  }
  return out;
}

}  // namespace berth::cli::format
