#include "core/runtime/process_spec.h"

namespace berth::core::runtime {

void add_to_json(const ProcessSpec& p, nlohmann::json& j) {
  j["argv"] = p.argv;
  j["env"] = p.env;
  j["cwd"] = p.cwd;
  j["uid"] = p.uid;
  j["gid"] = p.gid;
  j["groups"] = p.groups;
  j["tty"] = p.tty;
}

void process_from_json(const nlohmann::json& j, ProcessSpec& p) {
  j.at("argv").get_to(p.argv);
  j.at("env").get_to(p.env);
  j.at("cwd").get_to(p.cwd);
  j.at("uid").get_to(p.uid);
  j.at("gid").get_to(p.gid);
  j.at("groups").get_to(p.groups);
  j.at("tty").get_to(p.tty);
}

}  // namespace berth::core::runtime
