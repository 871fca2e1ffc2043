#include "engine/image/change.h"

#include <algorithm>
#include <cctype>

#include "common/error.h"
#include "common/strings.h"

namespace berth::engine::image {

namespace {

// JSON (exec) form when the argument is a JSON array of strings, else the shell form.
nlohmann::json command_form(const std::string& arg, bool shell_wrap) {
  if (!arg.empty() && arg.front() == '[') {
    auto j = nlohmann::json::parse(arg, nullptr, false);
    if (j.is_array() && std::all_of(j.begin(), j.end(), [](auto& v) { return v.is_string(); }))
      return j;
  }
  if (shell_wrap) return nlohmann::json::array({"/bin/sh", "-c", arg});
  return nlohmann::json(split_words(arg));
}

// KEY=VALUE pairs, or the legacy "KEY VALUE" form when there is no '=' in the first word.
std::vector<std::pair<std::string, std::string>> key_values(const std::string& instr,
                                                            const std::string& arg) {
  std::vector<std::pair<std::string, std::string>> out;
  auto words = split_words(arg);
  if (words.empty()) throw Error(instr + " requires at least one argument");
  if (words[0].find('=') == std::string::npos) {
    size_t sp = arg.find_first_of(" \t");
    if (sp == std::string::npos) throw Error(instr + " requires KEY=VALUE or KEY VALUE");
    out.emplace_back(words[0], trim(arg.substr(sp)));
    return out;
  }
  for (const auto& w : words) {
    auto eq = w.find('=');
    if (eq == std::string::npos || eq == 0) throw Error(instr + ": `" + w + "` is not KEY=VALUE");
    out.emplace_back(w.substr(0, eq), w.substr(eq + 1));
  }
  return out;
}

void set_env(nlohmann::json& config, const std::string& key, const std::string& value) {
  auto& env = config["Env"];
  if (!env.is_array()) env = nlohmann::json::array();
  for (auto& e : env) {
    auto s = e.get<std::string>();
    if (s.substr(0, s.find('=')) == key) {
      e = key + "=" + value;
      return;
    }
  }
  env.push_back(key + "=" + value);
}

void expose(nlohmann::json& config, const std::string& arg) {
  auto& ports = config["ExposedPorts"];
  if (!ports.is_object()) ports = nlohmann::json::object();
  for (const auto& w : split_words(arg)) {
    std::string port = w, proto = "tcp";
    if (auto slash = w.find('/'); slash != std::string::npos) {
      port = w.substr(0, slash);
      proto = w.substr(slash + 1);
    }
    for (char& c : proto) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    bool digits = !port.empty() && port.find_first_not_of("0123456789-") == std::string::npos;
    if (!digits || (proto != "tcp" && proto != "udp" && proto != "sctp"))
      throw Error("EXPOSE: invalid port `" + w + "`");
    ports[port + "/" + proto] = nlohmann::json::object();
  }
}

}  // namespace

std::vector<std::string> split_words(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  bool in_word = false;
  char quote = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (quote) {
      if (c == quote) {
        quote = 0;
      } else if (c == '\\' && quote == '"' && i + 1 < s.size()) {
        cur += s[++i];
      } else {
        cur += c;
      }
    } else if (c == '\'' || c == '"') {
      quote = c;
      in_word = true;
    } else if (c == '\\' && i + 1 < s.size()) {
      cur += s[++i];
      in_word = true;
    } else if (std::isspace(static_cast<unsigned char>(c))) {
      if (in_word) out.push_back(std::move(cur));
      cur.clear();
      in_word = false;
    } else {
      cur += c;
      in_word = true;
    }
  }
  if (quote) throw Error("unterminated quote in `" + s + "`");
  if (in_word) out.push_back(std::move(cur));
  return out;
}

void apply_change(nlohmann::json& config, const std::string& change) {
  const std::string line(trim(change));
  size_t sp = line.find_first_of(" \t");
  std::string instr = line.substr(0, sp);
  const std::string arg(sp == std::string::npos ? "" : trim(std::string_view(line).substr(sp)));
  for (char& c : instr) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  static const char* kValid[] = {"CMD",  "ENTRYPOINT", "ENV",    "EXPOSE", "LABEL",
                                 "USER", "WORKDIR",    "VOLUME", "ONBUILD"};
  try {
    if (std::find(std::begin(kValid), std::end(kValid), instr) == std::end(kValid))
      throw Error(instr.empty() ? "empty change" : instr + " is not a valid change command");
    if (arg.empty()) throw Error(instr + " requires an argument");
    if (instr == "CMD") {
      config["Cmd"] = command_form(arg, true);
    } else if (instr == "ENTRYPOINT") {
      config["Entrypoint"] = command_form(arg, true);
    } else if (instr == "ENV") {
      for (auto& [k, v] : key_values(instr, arg)) set_env(config, k, v);
    } else if (instr == "LABEL") {
      for (auto& [k, v] : key_values(instr, arg)) config["Labels"][k] = v;
    } else if (instr == "EXPOSE") {
      expose(config, arg);
    } else if (instr == "USER") {
      config["User"] = arg;
    } else if (instr == "WORKDIR") {
      std::string cur = config.value("WorkingDir", "");
      config["WorkingDir"] = arg.front() == '/' || cur.empty() ? arg : cur + "/" + arg;
    } else if (instr == "VOLUME") {
      for (const auto& v : command_form(arg, false))
        config["Volumes"][v.get<std::string>()] = nlohmann::json::object();
    } else {
      config["OnBuild"].push_back(arg);
    }
  } catch (const Error& e) {
    throw e.with_context("--change `" + change + "`");
  }
}

}  // namespace berth::engine::image
