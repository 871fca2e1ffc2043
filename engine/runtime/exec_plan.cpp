#include "engine/runtime/exec_plan.h"

namespace berth::engine::runtime {

using nlohmann::json;

json to_json(const ExecPlan& p) {
  json j{{"argv", p.argv},         {"env", p.env},          {"cwd", p.cwd},
         {"uid", p.uid},           {"gid", p.gid},          {"groups", p.groups},
         {"tty", p.tty},           {"detach", p.detach},    {"privileged", p.privileged},
         {"tty_rows", p.tty_rows}, {"tty_cols", p.tty_cols}};
  j["security"] = to_json(p.security);
  j["ulimits"] = json::array();
  for (const auto& u : p.ulimits) j["ulimits"].push_back(to_json(u));
  j["seccomp_cache"] = p.seccomp_cache;
  return j;
}

ExecPlan exec_plan_from_json(const json& j) {
  ExecPlan p;
  j.at("argv").get_to(p.argv);
  j.at("env").get_to(p.env);
  j.at("cwd").get_to(p.cwd);
  j.at("uid").get_to(p.uid);
  j.at("gid").get_to(p.gid);
  j.at("groups").get_to(p.groups);
  j.at("tty").get_to(p.tty);
  j.at("detach").get_to(p.detach);
  j.at("privileged").get_to(p.privileged);
  j.at("tty_rows").get_to(p.tty_rows);
  j.at("tty_cols").get_to(p.tty_cols);
  p.security = security_from_json(j.value("security", json::object()));
  for (const auto& u : j.value("ulimits", json::array())) p.ulimits.push_back(ulimit_from_json(u));
  p.seccomp_cache = j.value("seccomp_cache", "");
  return p;
}

}  // namespace berth::engine::runtime
