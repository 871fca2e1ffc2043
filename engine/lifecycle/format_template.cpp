#include "engine/lifecycle/format_template.h"

#include "common/error.h"

namespace berth::engine::lifecycle {

using json = nlohmann::ordered_json;

namespace {

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t");
  size_t e = s.find_last_not_of(" \t");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

// ".A.B" → the value, or nullptr when a step is missing.
const json* lookup(const json& root, const std::string& path, const std::string& action) {
  if (path.empty() || path[0] != '.')
    throw Error("template: unsupported action {{" + action + "}}", 125);
  const json* cur = &root;
  size_t pos = 1;
  while (pos < path.size()) {
    size_t dot = path.find('.', pos);
    std::string key = path.substr(pos, dot == std::string::npos ? std::string::npos : dot - pos);
    if (!cur->is_object() || !cur->contains(key)) return nullptr;
    cur = &(*cur)[key];
    pos = dot == std::string::npos ? path.size() : dot + 1;
  }
  return cur;
}

}  // namespace

std::string render_template(const std::string& format, const json& value) {
  std::string out;
  size_t pos = 0;
  while (pos < format.size()) {
    size_t open = format.find("{{", pos);
    if (open == std::string::npos) {
      out += format.substr(pos);
      break;
    }
    out += format.substr(pos, open - pos);
    size_t close = format.find("}}", open);
    if (close == std::string::npos)
      throw Error("template: unclosed action in \"" + format + "\"", 125);
    std::string action = trim(format.substr(open + 2, close - open - 2));
    bool as_json = action.starts_with("json ");
    const json* v = lookup(value, trim(as_json ? action.substr(5) : action), action);
    if (!v) {
      out += "<no value>";
    } else if (!as_json && v->is_string()) {
      out += v->get<std::string>();
    } else {
      out += v->dump();
    }
    pos = close + 2;
  }
  return out;
}

}  // namespace berth::engine::lifecycle
