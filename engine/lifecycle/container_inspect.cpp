#include "engine/lifecycle/container_inspect.h"

#include "core/runtime/cgroups.h"
#include "engine/lifecycle/container_ports.h"
#include "engine/lifecycle/harden_options.h"
#include "engine/lifecycle/supervision_config.h"
#include "network/container_network.h"
#include "volumes/container_mounts.h"

namespace berth::engine::lifecycle {

using json = nlohmann::ordered_json;

namespace {

json list_or_null(const std::vector<std::string>& v) {
  return v.empty() ? json(nullptr) : json(v);
}

// State.Health and Config.Healthcheck in Docker's key order.
json health_json(const core::state::Health& h) {
  json log = json::array();
  for (const auto& r : h.log)
    log.push_back(
        {{"Start", r.start}, {"End", r.end}, {"ExitCode", r.exit_code}, {"Output", r.output}});
  return {{"Status", h.status}, {"FailingStreak", h.failing_streak}, {"Log", log}};
}

json healthcheck_json(const core::runtime::Healthcheck& h) {
  const auto plain = core::runtime::to_docker_json(h);
  json j = json::object();
  for (const char* k : {"Test", "Interval", "Timeout", "StartPeriod", "StartInterval", "Retries"})
    if (plain.contains(k)) j[k] = json::parse(plain[k].dump());
  return j;
}

json state_json(const core::state::ContainerState& s) {
  const bool paused = s.status == core::state::Status::kRunning && s.paused;
  const bool restarting = s.status == core::state::Status::kExited && s.restarting;
  // Docker reports a container waiting to restart as running too.
  json j = {{"Status", core::state::docker_status(s)},
            {"Running", s.status == core::state::Status::kRunning || restarting},
            {"Paused", paused},
            {"Restarting", restarting},
            {"OOMKilled", s.oom_killed},
            {"Dead", s.status == core::state::Status::kDead},
            {"Pid", s.pid},
            {"ExitCode", s.exit_code},
            {"Error", s.error},
            {"StartedAt", s.started_at},
            {"FinishedAt", s.finished_at}};
  if (s.health) j["Health"] = health_json(*s.health);
  return j;
}

json config_json(const core::state::ContainerConfig& c) {
  json j = {{"Hostname", c.hostname},
            {"Domainname", ""},
            {"User", c.user},
            {"AttachStdin", c.open_stdin},
            {"AttachStdout", true},
            {"AttachStderr", true},
            {"Tty", c.tty},
            {"OpenStdin", c.open_stdin},
            {"StdinOnce", c.open_stdin},
            {"Env", c.env},
            {"Cmd", list_or_null(c.cmd)},
            {"Image", c.image},
            {"Volumes", nullptr},
            {"WorkingDir", c.working_dir},
            {"Entrypoint", list_or_null(c.entrypoint)},
            {"OnBuild", nullptr},
            {"Labels", c.labels},
            {"StopSignal", c.stop_signal.empty() ? json(nullptr) : json(c.stop_signal)}};
  // Docker's place for it: right after Cmd; only when there is one.
  if (auto h = healthcheck_of(c)) {
    json out = json::object();
    for (auto& [k, v] : j.items()) {
      out[k] = v;
      if (k == "Cmd") out["Healthcheck"] = healthcheck_json(*h);
    }
    j = std::move(out);
  }
  return j;
}

json host_config_json(const core::state::ContainerConfig& c) {
  return {{"Binds", nullptr},
          {"NetworkMode", network::network_mode_of(c)},
          {"PortBindings", port_bindings_json(container_ports(c))},
          {"RestartPolicy",
           {{"Name", supervision_of(c).restart.name},
            {"MaximumRetryCount", supervision_of(c).restart.max_retries}}},
          {"Init", supervision_of(c).init ? json(true) : json(nullptr)},
          {"AutoRemove", c.auto_remove},
          {"Privileged", false},
          {"ReadonlyRootfs", false},
          {"CapAdd", nullptr},
          {"CapDrop", nullptr},
          {"Memory", 0},
          {"NanoCpus", 0},
          {"PidsLimit", nullptr},
          {"LogConfig", {{"Type", "json-file"}, {"Config", json::object()}}},
          // The init gets its own cgroup namespace on v2 only (runtime/cgroup_mount.h).
          {"CgroupnsMode",
           core::runtime::Cgroups().version() == core::runtime::Cgroups::Version::kV2 ? "private"
                                                                                      : "host"},
          {"IpcMode", "private"},
          {"PidMode", ""},
          {"UTSMode", ""}};
}

}  // namespace

json inspect_json(const core::state::ContainerStore& store, const core::state::Container& c) {
  const auto dir = store.dir(c.id());
  return {
      {"Id", c.id()},
      {"Created", c.config.created},
      {"Path", c.config.path},
      {"Args", c.config.args},
      {"State", state_json(c.state)},
      {"Image", c.config.image_id},
      {"ResolvConfPath", (dir / "resolv.conf").string()},
      {"HostnamePath", (dir / "hostname").string()},
      {"HostsPath", (dir / "hosts").string()},
      {"LogPath", (dir / "log.json").string()},
      {"Name", "/" + c.config.name},
      {"RestartCount", c.state.restart_count},
      {"Driver", "overlay"},
      {"Platform", "linux"},
      {"MountLabel", ""},
      {"ProcessLabel", ""},
      {"AppArmorProfile", ""},
      {"ExecIDs", nullptr},
      {"HostConfig", with_harden_host_config(c.config, host_config_json(c.config))},
      {"GraphDriver",
       {{"Name", "overlay"},
        {"Data", {{"UpperDir", (dir / "upper").string()}, {"WorkDir", (dir / "work").string()}}}}},
      {"Mounts", volumes::inspect_mounts(c.config)},
      {"Config", config_json(c.config)},
      {"NetworkSettings", [&] {
         json ns = network::network_settings_json(store.paths(), c.config);
         ns["Ports"] = ports_json(container_ports(c.config), c.running());
         return ns;
       }()}};
}

}  // namespace berth::engine::lifecycle
