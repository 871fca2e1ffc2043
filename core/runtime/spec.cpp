#include "core/runtime/spec.h"

namespace berth::core::runtime {

using nlohmann::json;

json to_json(const RuntimeSpec& s) {
  json j{{"id", s.id},
         {"root", s.root},
         {"runroot", s.runroot},
         {"cgroup_root", s.cgroup_root},
         {"lowerdirs", s.lowerdirs},
         {"hostname", s.hostname},
         {"open_stdin", s.open_stdin},
         {"attach_stdin", s.attach_stdin},
         {"attach_stdout", s.attach_stdout},
         {"attach_stderr", s.attach_stderr},
         {"auto_remove", s.auto_remove},
         {"mounts", s.mounts},
         {"security", to_json(s.security)},
         {"resources", to_json(s.resources)},
         {"supervision", to_json(s.supervision)}};
  add_to_json(s, j);
  if (s.health) j["health"] = to_docker_json(*s.health);
  return j;
}

json to_json(const NetworkSpec& n) {
  return json{{"join_netns", n.join_netns}, {"cleanup_argv", n.cleanup_argv}};
}

NetworkSpec network_spec_from_json(const json& j) {
  NetworkSpec n;
  j.at("join_netns").get_to(n.join_netns);
  j.at("cleanup_argv").get_to(n.cleanup_argv);
  return n;
}

RuntimeSpec spec_from_json(const json& j) {
  RuntimeSpec s;
  j.at("id").get_to(s.id);
  j.at("root").get_to(s.root);
  j.at("runroot").get_to(s.runroot);
  j.at("cgroup_root").get_to(s.cgroup_root);
  j.at("lowerdirs").get_to(s.lowerdirs);
  process_from_json(j, s);
  j.at("hostname").get_to(s.hostname);
  j.at("open_stdin").get_to(s.open_stdin);
  j.at("attach_stdin").get_to(s.attach_stdin);
  j.at("attach_stdout").get_to(s.attach_stdout);
  j.at("attach_stderr").get_to(s.attach_stderr);
  j.at("auto_remove").get_to(s.auto_remove);
  if (j.contains("mounts")) j.at("mounts").get_to(s.mounts);
  s.security = security_from_json(j.value("security", json::object()));
  s.resources = resources_from_json(j.value("resources", json::object()));
  if (j.contains("supervision")) s.supervision = supervision_from_json(j["supervision"]);
  if (j.contains("health")) s.health = healthcheck_from_docker_json(j["health"]);
  return s;
}

}  // namespace berth::core::runtime
