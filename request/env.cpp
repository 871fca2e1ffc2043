#include "request/env.h"

#include <cstdlib>
#include <stdexcept>

namespace berth::request {

std::optional<EnvPair> parse_env_var(std::string_view kv, const EnvLookup& lookup) {
  const size_t eq = kv.find('=');
  std::string key(kv.substr(0, eq));
  if (key.empty() || key.find_first_of(" \t") != std::string::npos)
    throw std::invalid_argument("variable '" + key + "' contains whitespaces or is empty");
  if (eq != std::string_view::npos) return EnvPair{key, std::string(kv.substr(eq + 1))};
  std::optional<std::string> value = lookup ? lookup(key) : std::nullopt;
  if (!value) return std::nullopt;
  return EnvPair{key, *value};
}

std::vector<EnvPair> parse_env_file(std::string_view text, const std::string& file,
                                    const EnvLookup& lookup) {
  std::vector<EnvPair> out;
  size_t start = 0, lineno = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    std::string_view line =
        text.substr(start, end == std::string_view::npos ? text.npos : end - start);
    start = end == std::string_view::npos ? text.size() + 1 : end + 1;
    ++lineno;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    size_t first = line.find_first_not_of(" \t");
    if (first == std::string_view::npos || line[first] == '#') continue;
    try {
      if (auto kv = parse_env_var(line.substr(first), lookup)) out.push_back(std::move(*kv));
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(file + ":" + std::to_string(lineno) + ": " + e.what());
    }
  }
  return out;
}

std::optional<std::string> process_env(const std::string& name) {
  const char* v = std::getenv(name.c_str());
  if (!v) return std::nullopt;
  return std::string(v);
}

EnvPair parse_label(std::string_view kv) {
  size_t eq = kv.find('=');
  std::string key(kv.substr(0, eq));
  if (key.empty())
    throw std::invalid_argument("invalid label '" + std::string(kv) + "': empty name");
  return {key, eq == std::string_view::npos ? "" : std::string(kv.substr(eq + 1))};
}

}  // namespace berth::request
