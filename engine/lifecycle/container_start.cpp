#include "engine/lifecycle/container_start.h"

#include <unistd.h>

#include <algorithm>
#include <optional>

#include <spdlog/spdlog.h>

#include "common/error.h"
#include "core/runtime/rootfs_reader.h"
#include "core/runtime/user.h"
#include "core/state/container_store.h"
#include "engine/image/store.h"
#include "engine/lifecycle/container_ports.h"
#include "engine/lifecycle/harden_options.h"
#include "engine/lifecycle/process_config.h"
#include "engine/lifecycle/supervision_config.h"
#include "network/container_network.h"
#include "volumes/container_mounts.h"

namespace berth::engine::lifecycle {

namespace fs = std::filesystem;

namespace {

// -p: DNAT to the container's address on its first network (or a userland proxy where
// nftables is unavailable), removed by the network teardown after the exit. Published ports
// mean nothing with --network host/none/container: (Docker discards them too).
std::optional<network::PortProxy> publish(const Paths& paths,
                                          const core::state::ContainerConfig& cfg,
                                          network::ContainerNetwork& net) {
  if (container_ports(cfg).empty()) return std::nullopt;
  const auto n = network::networking_from_extensions(cfg.extensions);
  if (!n.uses_bridges() || n.endpoints.empty()) return std::nullopt;
  net.require_unpublish();
  return publish_ports(paths, cfg, n.endpoints.front().ip);
}

// The environment the process sees: the record's, plus what Docker adds at start.
std::vector<std::string> process_env(const core::state::ContainerConfig& c,
                                     const std::string& home) {
  std::vector<std::string> env = c.env;
  if (!env_value(env, "HOSTNAME"))
    env.insert(env.begin() + (env.empty() ? 0 : 1), "HOSTNAME=" + c.hostname);
  if (c.tty && !env_value(env, "TERM")) env.push_back("TERM=xterm");
  if (!env_value(env, "HOME")) env.push_back("HOME=" + home);
  return env;
}

}  // namespace

core::runtime::RuntimeSpec build_spec(const Paths& paths, const core::state::Container& c,
                                      const Attach& attach) {
  const core::state::ContainerConfig& cfg = c.config;
  image::Store images(paths);
  const image::Image img = images.resolve(cfg.image_id);
  auto layers = images.layer_dirs(img);
  std::reverse(layers.begin(), layers.end());

  core::runtime::RuntimeSpec s;
  s.id = cfg.id;
  s.root = paths.root.string();
  s.runroot = paths.runroot.string();
  for (const auto& l : layers) s.lowerdirs.push_back(l.string());

  // /etc/passwd and /etc/group as the container will see them: its upper dir over the layers.
  std::vector<fs::path> top_first = {paths.container(cfg.id) / "upper"};
  top_first.insert(top_first.end(), layers.begin(), layers.end());
  const auto passwd = core::runtime::read_in_layers(top_first, "/etc/passwd");
  const auto group = core::runtime::read_in_layers(top_first, "/etc/group");
  core::runtime::ExecUser user = core::runtime::resolve_user(cfg.user, passwd, group);
  s.uid = user.uid;
  s.gid = user.gid;
  s.groups = user.groups;

  s.argv = {cfg.path};
  s.argv.insert(s.argv.end(), cfg.args.begin(), cfg.args.end());
  s.env = process_env(cfg, user.home);
  s.cwd = cfg.working_dir.empty() ? "/" : cfg.working_dir;
  s.hostname = cfg.hostname;
  s.tty = cfg.tty;
  s.open_stdin = cfg.open_stdin;
  s.attach_stdin = attach.fds[0] >= 0;
  s.attach_stdout = attach.fds[1] >= 0;
  s.attach_stderr = attach.fds[2] >= 0;
  s.auto_remove = cfg.auto_remove;
  s.mounts = volumes::runtime_mounts(paths, cfg, top_first);
  s.security = security_of(cfg);
  s.resources = resources_of(cfg);
  supervise_spec(cfg, s);
  return s;
}

namespace {

// --rm: a container that never ran is removed too (the monitor does it when it got that far;
// this covers failures before it). The start's error is what the caller reports; a container
// that stays is a warning beside it.
void remove_if_auto(const Paths& paths, const core::state::Container& c) {
  if (!c.config.auto_remove) return;
  try {
    core::state::ContainerStore(paths).remove(c.id());
  } catch (const Error& e) {
    spdlog::warn("remove container {}: {}", c.id(), e.what());
  }
}

// After it has recorded the exit, the previous run's monitor still tidies up (the container's
// mounts, its cgroups) before it releases its lock: a start right after an attached run would
// find the lock held and fail with "already running". Wait for it, boundedly; a restarting
// container's monitor stays, and the new monitor reports that.
void wait_for_previous_monitor(const Paths& paths, const core::state::Container& c) {
  if (c.state.restarting) return;
  const core::state::ContainerStore store(paths);
  constexpr int kStepUs = 2000, kLimitUs = 10'000'000;
  for (int waited = 0; waited < kLimitUs && store.monitor_alive(c.id()); waited += kStepUs)
    ::usleep(kStepUs);
}

}  // namespace

MonitorProcess start_container(const Paths& paths, const core::state::Container& c,
                               const Attach& attach) {
  if (c.running()) throw Error("container " + c.config.name + " is already running");
  wait_for_previous_monitor(paths, c);
  std::optional<MonitorProcess> m;
  try {
    // The monitor first: it starts, reads the spec and makes the cgroups while we set up the
    // network (spawn.h).
    m.emplace(MonitorProcess::spawn(attach.fds));
    check_ports_free(paths, c.config);
    m->send_spec(build_spec(paths, c, attach));
    network::ContainerNetwork net = network::setup_container_network(paths, c.config);
    auto proxy = publish(paths, c.config, net);
    m->send_network(network::runtime_network_spec(paths, c.id(), net), net.netns_fd());
    m->wait_started();
    if (proxy) proxy->attach(m->monitor_pid());
    net.commit();
    return std::move(*m);
  } catch (const Error& e) {
    // Before "started" the monitor may still be at it: it undoes its part first.
    if (m) m->abandon(e);
    remove_if_auto(paths, c);
    throw;
  }
}

}  // namespace berth::engine::lifecycle
