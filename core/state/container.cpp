#include "core/state/container.h"

namespace berth::core::state {

using nlohmann::json;

const char* status_name(Status s) {
  switch (s) {
    case Status::kCreated:
      return "created";
    case Status::kRunning:
      return "running";
    case Status::kExited:
      return "exited";
    case Status::kDead:
      return "dead";
  }
  return "dead";
}

Status status_from_name(const std::string& name) {
  if (name == "created") return Status::kCreated;
  if (name == "running") return Status::kRunning;
  if (name == "exited") return Status::kExited;
  return Status::kDead;
}

const char* docker_status(const ContainerState& s) {
  if (s.status == Status::kRunning && s.paused) return "paused";
  if (s.status == Status::kExited && s.restarting) return "restarting";
  return status_name(s.status);
}

json to_json(const ContainerConfig& c) {
  return json{{"id", c.id},
              {"name", c.name},
              {"created", c.created},
              {"image", c.image},
              {"image_id", c.image_id},
              {"path", c.path},
              {"args", c.args},
              {"hostname", c.hostname},
              {"user", c.user},
              {"env", c.env},
              {"cmd", c.cmd},
              {"entrypoint", c.entrypoint},
              {"working_dir", c.working_dir},
              {"labels", c.labels},
              {"tty", c.tty},
              {"open_stdin", c.open_stdin},
              {"stop_signal", c.stop_signal},
              {"stop_timeout", c.stop_timeout},
              {"auto_remove", c.auto_remove},
              {"extensions", c.extensions}};
}

ContainerConfig config_from_json(const json& j) {
  ContainerConfig c;
  c.id = j.at("id").get<std::string>();
  c.name = j.value("name", "");
  c.created = j.value("created", std::string("0001-01-01T00:00:00Z"));
  c.image = j.value("image", "");
  c.image_id = j.value("image_id", "");
  c.path = j.value("path", "");
  c.args = j.value("args", std::vector<std::string>{});
  c.hostname = j.value("hostname", "");
  c.user = j.value("user", "");
  c.env = j.value("env", std::vector<std::string>{});
  c.cmd = j.value("cmd", std::vector<std::string>{});
  c.entrypoint = j.value("entrypoint", std::vector<std::string>{});
  c.working_dir = j.value("working_dir", "");
  c.labels = j.value("labels", std::map<std::string, std::string>{});
  c.tty = j.value("tty", false);
  c.open_stdin = j.value("open_stdin", false);
  c.stop_signal = j.value("stop_signal", "");
  c.stop_timeout = j.value("stop_timeout", -1);
  c.auto_remove = j.value("auto_remove", false);
  c.extensions = j.value("extensions", json::object());
  return c;
}

json to_json(const ContainerState& s) {
  json j{{"status", status_name(s.status)},
         {"pid", s.pid},
         {"monitor_pid", s.monitor_pid},
         {"exit_code", s.exit_code},
         {"error", s.error},
         {"started_at", s.started_at},
         {"finished_at", s.finished_at},
         {"oom_killed", s.oom_killed},
         {"restart_count", s.restart_count},
         {"paused", s.paused},
         {"restarting", s.restarting}};
  if (s.health) j["health"] = to_json(*s.health);
  return j;
}

ContainerState state_from_json(const json& j) {
  ContainerState s;
  s.status = status_from_name(j.value("status", "dead"));
  s.pid = j.value("pid", 0);
  s.monitor_pid = j.value("monitor_pid", 0);
  s.exit_code = j.value("exit_code", 0);
  s.error = j.value("error", "");
  s.started_at = j.value("started_at", s.started_at);
  s.finished_at = j.value("finished_at", s.finished_at);
  s.oom_killed = j.value("oom_killed", false);
  s.restart_count = j.value("restart_count", 0);
  s.paused = j.value("paused", false);
  s.restarting = j.value("restarting", false);
  if (j.contains("health")) s.health = health_from_json(j["health"]);
  return s;
}

}  // namespace berth::core::state
