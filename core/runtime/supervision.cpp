#include "core/runtime/supervision.h"

#include <charconv>

#include "common/error.h"

namespace berth::core::runtime {

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
