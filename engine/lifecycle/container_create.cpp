#include "engine/lifecycle/container_create.h"

#include <spdlog/spdlog.h>

#include "common/atomic_file.h"
#include "common/error.h"
#include "core/state/container_store.h"
#include "core/state/events.h"
#include "engine/image/store.h"
#include "engine/lifecycle/container_ports.h"
#include "engine/lifecycle/harden_options.h"
#include "engine/lifecycle/process_config.h"
#include "engine/lifecycle/supervision_config.h"
#include "network/container_network.h"
#include "volumes/container_mounts.h"

namespace berth::engine::lifecycle {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// The generated hostname the init bind-mounts into /etc; hosts and resolv.conf are the
// network's (network::write_network_etc_files, written right after).
void write_etc_files(const fs::path& dir, const std::string& hostname) {
  write_file_atomic(dir / "hostname", hostname + "\n", 0644, false);
}

std::string string_or(const json& config, const char* key, const std::string& fallback) {
  if (config.is_object() && config.contains(key) && config[key].is_string() &&
      !config[key].get<std::string>().empty())
    return config[key].get<std::string>();
  return fallback;
}

}  // namespace

core::state::Container create_container(const Paths& paths, const request::ContainerRequest& o) {
  const image::Image img = image::Store(paths).resolve(o.image);
  const json config = img.config.value("config", json::object());

  core::state::ContainerConfig c;
  c.name = o.name;
  c.image = o.image;
  c.image_id = img.id;
  Command cmd = resolve_command(config, o.process.command, o.process.entrypoint);
  auto argv = cmd.argv();
  c.path = argv[0];
  c.args.assign(argv.begin() + 1, argv.end());
  c.cmd = cmd.cmd;
  c.entrypoint = cmd.entrypoint;
  std::vector<std::string> image_env;
  if (config.contains("Env") && config["Env"].is_array()) image_env = config["Env"];
  c.env = merge_env(image_env, o.process.env);
  c.working_dir =
      o.process.working_dir ? *o.process.working_dir : string_or(config, "WorkingDir", "");
  if (!c.working_dir.empty() && c.working_dir.front() != '/') {
    throw Error(
        "the working directory '" + c.working_dir + "' is invalid, it needs to be an absolute path",
        125);
  }
  c.user = o.process.user ? *o.process.user : string_or(config, "User", "");
  if (config.contains("Labels") && config["Labels"].is_object())
    for (auto& [k, v] : config["Labels"].items())
      if (v.is_string()) c.labels[k] = v.get<std::string>();
  for (const auto& [k, v] : o.labels) c.labels.insert_or_assign(k, v);
  c.tty = o.process.tty;
  c.open_stdin = o.process.open_stdin;
  c.stop_signal = string_or(config, "StopSignal", "");
  c.auto_remove = o.auto_remove;
  c.hostname = o.hostname;
  if (auto p = resolve_ports(paths, o.publish, config); !p.empty()) c.extensions["ports"] = p;
  apply_harden(o.security, o.resources, c);
  apply_supervision(o.supervision, c);
  apply_healthcheck(o.healthcheck, config, c);

  volumes::MountPlanner mounts(paths, o.mounts, o.volumes_from, config);
  if (auto m = mounts.acquire(); !m.empty()) c.extensions["mounts"] = std::move(m);
  core::state::ContainerStore store(paths);
  network::CreateLease lease = network::assign_networking(paths, o.network, c);
  refuse_host_netns_sysctls(paths, c);
  core::state::Container made = store.create(std::move(c));
  lease.release();
  try {
    write_etc_files(store.dir(made.id()), made.config.hostname);
    network::write_network_etc_files(paths, made.config, store.dir(made.id()));
  } catch (...) {
    try {
      store.remove(made.id());
    } catch (const Error& e) {  // the first error is the one to report; this one is said too
      spdlog::warn(
          "create: could not remove the half-made container {}: {} (remove it with "
          "`berth rm {}`)",
          made.id(), e.what(), made.id());
    }
    throw;
  }
  mounts.commit();
  core::state::record_event(paths, core::state::container_event(made.config, "create"));
  return made;
}

}  // namespace berth::engine::lifecycle
