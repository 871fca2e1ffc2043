#include "core/runtime/exec_plan.h"

namespace berth::core::runtime {

using nlohmann::json;

json to_json(const ExecPlan& p) {
  json j{{"detach", p.detach},
         {"privileged", p.privileged},
         {"tty_rows", p.tty_rows},
         {"tty_cols", p.tty_cols}};
  add_to_json(p, j);
  j["security"] = to_json(p.security);
  j["ulimits"] = json::array();
  for (const auto& u : p.ulimits) j["ulimits"].push_back(to_json(u));
  j["seccomp_cache"] = p.seccomp_cache;
  return j;
}

ExecPlan exec_plan_from_json(const json& j) {
  ExecPlan p;
  process_from_json(j, p);
  j.at("detach").get_to(p.detach);
  j.at("privileged").get_to(p.privileged);
  j.at("tty_rows").get_to(p.tty_rows);
  j.at("tty_cols").get_to(p.tty_cols);
  p.security = security_from_json(j.value("security", json::object()));
  for (const auto& u : j.value("ulimits", json::array())) p.ulimits.push_back(ulimit_from_json(u));
  p.seccomp_cache = j.value("seccomp_cache", "");
  return p;
}

}  // namespace berth::core::runtime
