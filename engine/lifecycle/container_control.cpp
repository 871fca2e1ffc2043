#include "engine/lifecycle/container_control.h"

#include <signal.h>
#include <unistd.h>

#include "common/error.h"
#include "core/runtime/cgroups.h"
#include "core/state/events.h"
#include "core/state/stop_request.h"
#include "engine/lifecycle/container_pause.h"
#include "engine/lifecycle/container_ports.h"
#include "engine/lifecycle/container_start.h"
#include "engine/lifecycle/signals.h"
#include "engine/lifecycle/supervision_config.h"
#include "network/nft_lib.h"
#include "sys/syscalls.h"
#include "sys/unique_fd.h"

namespace berth::engine::lifecycle {

namespace {

constexpr int kDefaultStopTimeout = 10;

[[noreturn]] void not_running(const std::string& id) {
  throw NotRunning("Container " + id + " is not running");
}

// state/stop_request.h, for a container that may vanish meanwhile (--rm: its monitor removes
// it as it exits): the write then fails because the directory is gone, and that is NotFound.
void request_stop(const core::state::ContainerStore& store, const std::string& id,
                  core::state::StopRequest req) {
  try {
    core::state::write_stop_request(store, id, req);
  } catch (const Error&) {
    if (!std::filesystem::exists(store.dir(id))) throw NotFound("No such container: " + id);
    throw;
  }
}

// kill_container for `stop` and `rm -f`, which want the process gone: one that ended on its
// own meanwhile is that. Any other failure throws.
void signal_unless_ended(const core::state::ContainerStore& store, const std::string& id, int sig) {
  try {
    kill_container(store, id, sig);
  } catch (const NotRunning&) {
    // It ended on its own meanwhile.
  }
}

// Exited, but its monitor is still there, waiting to start it again.
bool restarting(const core::state::ContainerStore& store, const core::state::Container& c) {
  return supervision_of(c.config).restart.name != "no" && store.monitor_alive(c.id());
}

// `rm -f` of a container whose monitor is still starting it ("created", monitor alive): the
// start waits on the init, which may never reach execve (stuck on a file of the image, say).
// SIGKILL everything in the container's cgroups until the monitor ends; it then records the
// failed start (or, if the start won the race, the exit) and releases its lock.
void end_starting_container(const core::state::ContainerStore& store, const std::string& id) {
  constexpr int kStepMs = 10, kLimitMs = 30000;
  const core::runtime::Cgroups cgroups;
  for (int waited = 0; store.monitor_alive(id); waited += kStepMs) {
    if (waited >= kLimitMs)
      throw Error("remove container " + id + ": its monitor did not end after SIGKILL");
    cgroups.kill_all(id);
    ::usleep(kStepMs * 1000);
  }
}

}  // namespace

void kill_container(const core::state::ContainerStore& store, const std::string& id, int sig) {
  core::state::Container c = store.load(id);
  if (!c.running() || c.state.pid <= 0) not_running(id);
  sys::UniqueFd pidfd(sys::pidfd_open(c.state.pid, 0));
  // The pidfd names the right process only if the monitor still held its lock after it was
  // opened: the init cannot outlive its monitor (PR_SET_PDEATHSIG).
  if (!pidfd || !store.monitor_alive(id)) not_running(id);
  // Docker: the stop signal cancels the restart policy; any other is a "manual stop" that
  // only unless-stopped honours (state/stop_request.h).
  const int stop_sig = c.config.stop_signal.empty() ? SIGTERM : parse_signal(c.config.stop_signal);
  request_stop(store, id,
               sig == stop_sig ? core::state::StopRequest::kStop : core::state::StopRequest::kKill);
  int rc = sys::pidfd_send_signal(pidfd.get(), sig);
  if (rc == -ESRCH) not_running(id);
  if (rc < 0) throw_errno("kill", id, -rc);
  core::state::Event e = core::state::container_event(c.config, "kill");
  e.attributes["signal"] = std::to_string(sig);
  core::state::record_event(store.paths(), std::move(e));
}

void stop_container(const core::state::ContainerStore& store, const std::string& id,
                    int timeout_s) {
  core::state::Container c = store.load(id);
  request_stop(store, id, core::state::StopRequest::kStop);  // no restart after this
  if (!c.running()) {
    store.wait_monitor_gone(id);  // a monitor waiting to restart it sees the request and ends
    return;
  }
  if (timeout_s < 0)
    timeout_s = c.config.stop_timeout >= 0 ? c.config.stop_timeout : kDefaultStopTimeout;
  int sig = c.config.stop_signal.empty() ? SIGTERM : parse_signal(c.config.stop_signal);
  try {
    signal_unless_ended(store, id, sig);
    unpause_if_paused(store, id);  // a frozen process cannot act on the signal
    // A stop signal of SIGKILL is the kill already: not sent twice (a second `kill` event
    // when the first exit is not recorded yet, under load).
    if (sig == SIGKILL) {
      store.wait_not_running(id);
    } else if (!store.wait_not_running(id, timeout_s * 1000)) {
      signal_unless_ended(store, id, SIGKILL);
      store.wait_not_running(id);
    }
  } catch (const NotFound&) {
    // --rm: its monitor removed it on the way out, so it is stopped.
  }
  store.wait_monitor_gone(id);
  core::state::record_event(store.paths(), core::state::container_event(c.config, "stop"));
}

void restart_container(const Paths& paths, const std::string& id, int timeout_s) {
  core::state::ContainerStore store(paths);
  stop_container(store, id, timeout_s);
  const core::state::Container c = store.load(id);
  start_container(paths, c);
  core::state::record_event(paths, core::state::container_event(c.config, "restart"));
}

namespace {

// The DNAT rules of a container are added by the starting command before it hands the network
// to the monitor, and removed by the teardown the monitor runs after the exit. A command killed
// between the two (`up` interrupted) leaves rules that no monitor knows of, for a container that
// never ran; its removal is the last chance to delete them. Idempotent: none left, none to do.
std::string drop_published_ports(const core::state::ContainerConfig& c) {
  if (container_ports(c).empty() || !network::nft_available()) return "";
  try {
    unpublish_ports(c);
  } catch (const Error& e) {
    return std::string("remove its firewall rules: ") + e.what() + "; ";
  }
  return "";
}

}  // namespace

void remove_container(const core::state::ContainerStore& store, const std::string& id, bool force) {
  core::state::Container c = store.load(id);
  if (c.running()) {
    if (!force) {
      throw Error("You cannot remove a running container " + id +
                  ". Stop the container before attempting removal or force remove");
    }
    // Any failure but these ends the removal: the container may still run.
    try {
      request_stop(store, id, core::state::StopRequest::kStop);
      signal_unless_ended(store, id, SIGKILL);
      unpause_if_paused(store, id);
      store.wait_not_running(id);
    } catch (const NotFound&) {
      store.wait_monitor_gone(id);
      return;  // a --rm container: its monitor removed it
    }
  } else if (restarting(store, c)) {
    if (!force)
      throw Error("You cannot remove a restarting container " + id +
                  ". Stop the container before attempting removal or force remove");
    request_stop(store, id, core::state::StopRequest::kStop);
  } else if (force && store.monitor_alive(id)) {
    request_stop(store, id, core::state::StopRequest::kStop);
    end_starting_container(store, id);
    try {
      store.load(id);
    } catch (const NotFound&) {
      return;  // a --rm container: its monitor removed it
    }
  }
  store.wait_monitor_gone(id);
  std::string errors = core::runtime::Cgroups().remove(id);
  errors += drop_published_ports(c.config);
  try {
    store.remove(id);
    core::state::record_event(store.paths(), core::state::container_event(c.config, "destroy"));
  } catch (const Error& e) {
    errors += e.what();
  }
  if (!errors.empty()) throw Error("remove container " + id + ": " + errors);
}

int wait_container(const core::state::ContainerStore& store, const std::string& id) {
  auto c = store.wait_not_running(id);
  return c ? c->state.exit_code : 255;
}

}  // namespace berth::engine::lifecycle
