#include "core/runtime/supervision.h"

#include <charconv>

#include "common/error.h"

namespace berth::core::runtime {

RestartPolicy parse_restart_policy(const std::string& text) {
  RestartPolicy p;
  const size_t colon = text.find(':');
  p.name = text.substr(0, colon);
  if (p.name.empty()) p.name = "no";
  if (p.name != "no" && p.name != "always" && p.name != "unless-stopped" && p.name != "on-failure")
    throw Error("invalid restart policy '" + p.name + "'", 125);
  if (colon == std::string::npos) return p;
  if (p.name != "on-failure")
    throw Error("maximum retry count cannot be used with restart policy '" + p.name + "'", 125);
  const std::string count = text.substr(colon + 1);
  auto [end, ec] = std::from_chars(count.data(), count.data() + count.size(), p.max_retries);
  if (ec != std::errc() || end != count.data() + count.size() || p.max_retries < 0)
    throw Error("invalid restart policy format: maximum retry count must be an integer", 125);
  return p;
}

nlohmann::json to_json(const Supervision& s) {
  return {{"restart", s.restart.name}, {"max_retries", s.restart.max_retries}, {"init", s.init}};
}

Supervision supervision_from_json(const nlohmann::json& j) {
  Supervision s;
  if (!j.is_object()) return s;
  s.restart.name = j.value("restart", "no");
  s.restart.max_retries = j.value("max_retries", 0);
  s.init = j.value("init", false);
  return s;
}

}  // namespace berth::core::runtime
