#include "engine/lifecycle/process_config.h"

#include <cstdlib>

#include "common/error.h"

namespace berth::engine::lifecycle {

using nlohmann::json;

namespace {

std::vector<std::string> string_list(const json& config, const char* key) {
  if (!config.is_object() || !config.contains(key) || !config[key].is_array()) return {};
  std::vector<std::string> out;
  for (const auto& v : config[key])
    if (v.is_string()) out.push_back(v.get<std::string>());
  return out;
}

std::string key_of(const std::string& kv) {
  return kv.substr(0, kv.find('='));
}

}  // namespace

std::vector<std::string> Command::argv() const {
  std::vector<std::string> out = entrypoint;
  out.insert(out.end(), cmd.begin(), cmd.end());
  return out;
}

Command resolve_command(const json& image_config, const std::vector<std::string>& args,
                        const std::optional<std::string>& entrypoint) {
  Command c;
  if (entrypoint) {
    if (!entrypoint->empty()) c.entrypoint = {*entrypoint};
  } else {
    c.entrypoint = string_list(image_config, "Entrypoint");
  }
  if (!args.empty()) {
    c.cmd = args;
  } else if (!entrypoint) {
    c.cmd = string_list(image_config, "Cmd");
  }
  if (c.argv().empty()) throw Error("No command specified", 125);
  return c;
}

std::vector<std::string> parse_env_file(const std::string& text, const std::string& file) {
  std::vector<std::string> out;
  size_t start = 0, lineno = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    std::string line =
        text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    start = end == std::string::npos ? text.size() + 1 : end + 1;
    ++lineno;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    size_t first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#') continue;
    line.erase(0, first);
    std::string key = key_of(line);
    if (key.empty() || key.find_first_of(" \t") != std::string::npos) {
      throw Error(file + ":" + std::to_string(lineno) + ": variable '" + key +
                      "' contains whitespaces or is empty",
                  125);
    }
    out.push_back(line);
  }
  return out;
}

std::vector<std::string> merge_env(const std::vector<std::string>& image_env,
                                   const std::vector<std::string>& overrides) {
  std::vector<std::string> out = image_env;
  for (const auto& o : overrides) {
    std::string kv = o;
    if (kv.find('=') == std::string::npos) {
      const char* host = std::getenv(kv.c_str());
      if (!host) continue;
      kv += "=";
      kv += host;
    }
    const std::string key = key_of(kv);
    bool replaced = false;
    for (auto& e : out) {
      if (key_of(e) == key) {
        e = kv;
        replaced = true;
      }
    }
    if (!replaced) out.push_back(kv);
  }
  if (!env_value(out, "PATH")) out.insert(out.begin(), kDefaultPathEnv);
  return out;
}

std::optional<std::string> env_value(const std::vector<std::string>& env, const std::string& key) {
  for (const auto& e : env)
    if (key_of(e) == key && e.size() > key.size()) return e.substr(key.size() + 1);
  return std::nullopt;
}

std::pair<std::string, std::string> parse_label(const std::string& kv) {
  size_t eq = kv.find('=');
  std::string key = kv.substr(0, eq);
  if (key.empty()) throw Error("invalid label '" + kv + "': empty name", 125);
  return {key, eq == std::string::npos ? "" : kv.substr(eq + 1)};
}

}  // namespace berth::engine::lifecycle
