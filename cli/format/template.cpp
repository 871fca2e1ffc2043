#include "cli/format/template.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include "cli/format/template_functions.h"
#include "common/error.h"

namespace berth::cli::format {

namespace {

using Arg = Template::Arg;
using Command = Template::Command;
using Node = Template::Node;

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
  if (pos >= s.size()) template_error("unterminated quoted string in {{" + s + "}}");
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
      template_error("bad number \"" + s.substr(start, pos - start) + "\" in {{" + s + "}}");
    }
  }
  if (std::isalpha(static_cast<unsigned char>(c))) {
    size_t start = pos;
    while (pos < s.size() && ident_char(s[pos])) ++pos;
    std::string word = s.substr(start, pos - start);
    if (unsupported_keyword(word)) template_error("unsupported action {{" + s + "}}");
    return {Arg::Kind::kFunction, {}, word};
  }
  if (c == '$') template_error("variables are not supported: {{" + s + "}}");
  if (c == '(') template_error("parentheses are not supported: {{" + s + "}}");
  template_error("unexpected \"" + std::string(1, c) + "\" in {{" + s + "}}");
}

std::vector<Command> parse_pipeline(const std::string& s) {
  std::vector<Command> pipeline(1);
  size_t pos = 0;
  while (pos < s.size()) {
    if (s[pos] == ' ' || s[pos] == '\t' || s[pos] == '\n') {
      ++pos;
    } else if (s[pos] == '|') {
      if (pipeline.back().empty()) template_error("missing command before | in {{" + s + "}}");
      pipeline.emplace_back();
      ++pos;
    } else {
      pipeline.back().push_back(parse_arg(s, pos));
    }
  }
  if (pipeline.back().empty()) template_error("missing value for command in {{" + s + "}}");
  for (const auto& cmd : pipeline)
    if (cmd.size() > 1 && cmd[0].kind != Arg::Kind::kFunction &&
        !(cmd[0].kind == Arg::Kind::kField && cmd[0].path == std::vector<std::string>{"Label"}))
      template_error("can't give argument to non-function in {{" + s + "}}");
  return pipeline;
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
      if (headers_ && !args.empty() && header_passthrough(head.text)) return args[0];
      return call_function(head.text, args);
    }
    if (head.kind == Arg::Kind::kField && head.path == std::vector<std::string>{"Label"})
      return label(args);
    if (!args.empty()) template_error("can't give argument to non-function");
    return operand(head);
  }

  Value label(const std::vector<Value>& args) const {
    want_args("Label", args, 1);
    const std::string key = want_string("Label", args[0]);
    if (headers_) return json(label_header(key));
    if (!data_->labels) template_error("can't evaluate field Label");
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
        return call_function(a.text, {});
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
        if (i == 0 && path[0] == "Label")
          template_error("wrong number of args for Label: want 1 got 0");
        template_error("can't evaluate field " + path[i]);
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
    if (close == std::string::npos) template_error("unclosed action in \"" + text + "\"");
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
    if (action.find_first_not_of(" \t\n") == std::string::npos)
      template_error("missing value for command");
    if (action.find("/*") != std::string::npos)
      template_error("comments are not supported: {{" + action + "}}");
    Node node{"", parse_pipeline(action)};
    for (const auto& cmd : node.pipeline)
      for (const auto& arg : cmd)
        if (arg.kind == Arg::Kind::kFunction && !known_function(arg.text))
          template_error("function \"" + arg.text + "\" not defined");
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
