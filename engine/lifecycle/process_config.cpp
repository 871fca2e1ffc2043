#include "engine/lifecycle/process_config.h"

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

Command resolve_command(const json& image_config,
                        const std::optional<std::vector<std::string>>& command,
                        const std::optional<std::vector<std::string>>& entrypoint) {
  Command c;
  c.entrypoint = entrypoint ? *entrypoint : string_list(image_config, "Entrypoint");
  if (command) {
    c.cmd = *command;
  } else if (!entrypoint) {
    c.cmd = string_list(image_config, "Cmd");
  }
  if (c.argv().empty()) throw Error("No command specified", 125);
  return c;
}

std::vector<std::string> merge_env(const std::vector<std::string>& image_env,
                                   const std::vector<request::EnvPair>& overrides) {
  std::vector<std::string> out = image_env;
  for (const auto& [key, value] : overrides) {
    const std::string kv = key + "=" + value;
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

}  // namespace berth::engine::lifecycle
