#include "cli/format/template_functions.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "common/error.h"

namespace berth::cli::format {

void template_error(const std::string& what) {
  throw Error("template: " + what, 125);
}

bool known_function(const std::string& name) {
  static const char* const kNames[] = {"json", "split",    "join",  "title",   "lower", "upper",
                                       "pad",  "truncate", "print", "println", "len",   "index"};
  return std::any_of(std::begin(kNames), std::end(kNames),
                     [&](const char* k) { return name == k; });
}

bool header_passthrough(const std::string& name) {
  for (const char* k : {"json", "split", "join", "title", "lower", "upper", "truncate"})
    if (name == k) return true;
  return false;
}

bool ident_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

namespace {

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

}  // namespace

std::string text_of(const Value& v) {
  return v ? go_text(*v) : "<no value>";
}

std::string want_string(const std::string& fn, const Value& v) {
  if (!v || !v->is_string())
    template_error("wrong type for value in " + fn + ": expected string; got " +
                   (v ? std::string(v->type_name()) : "<no value>"));
  return v->get<std::string>();
}

namespace {

int64_t want_number(const std::string& fn, const Value& v) {
  if (!v || !v->is_number_integer())
    template_error("wrong type for value in " + fn + ": expected int");
  return v->get<int64_t>();
}

}  // namespace

void want_args(const std::string& fn, const std::vector<Value>& args, size_t n) {
  if (args.size() != n)
    template_error("wrong number of args for " + fn + ": want " + std::to_string(n) + " got " +
                   std::to_string(args.size()));
}

namespace {

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
    if (!cur) template_error("index of untyped nil");
    if (cur->is_object() && k && k->is_string()) {
      auto it = cur->find(k->get<std::string>());
      cur = it == cur->end() ? Value() : Value(*it);
    } else if (cur->is_array() && k && k->is_number_integer()) {
      int64_t i = k->get<int64_t>();
      if (i < 0 || static_cast<size_t>(i) >= cur->size())
        template_error("index out of range: " + k->dump());
      cur = (*cur)[static_cast<size_t>(i)];
    } else {
      template_error("can't index item of type " + std::string(cur->type_name()));
    }
  }
  return cur;
}

}  // namespace

Value call_function(const std::string& fn, const std::vector<Value>& a) {
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
    if (!a[0] || !a[0]->is_array())
      template_error("wrong type for value in join: expected []string");
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
      template_error("len of " + text_of(a[0]));
    return json(a[0]->is_string() ? a[0]->get<std::string>().size() : a[0]->size());
  }
  if (fn == "index") {
    if (a.empty()) template_error("wrong number of args for index: want at least 1 got 0");
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

}  // namespace berth::cli::format
