#include "engine/runtime/exec_plan.h"

namespace berth::engine::runtime {

using nlohmann::json;

json to_json(const ExecPlan& p) {
  return json{{"argv", p.argv},         {"env", p.env},          {"cwd", p.cwd},
              {"uid", p.uid},           {"gid", p.gid},          {"groups", p.groups},
              {"tty", p.tty},           {"detach", p.detach},    {"privileged", p.privileged},
              {"tty_rows", p.tty_rows}, {"tty_cols", p.tty_cols}};
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
  return p;
}

}  // namespace berth::engine::runtime
