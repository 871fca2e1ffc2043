// MonitorProcess: the CLI's side of monitor/protocol.h. spawn() starts a `berth-monitor`
// (found next to the running berth binary, /proc/self/exe) detached, with spawn_session
// (common/spawn.h): posix_spawn in a new session from an intermediate process that shares the
// CLI's memory and exits at once, so the monitor is reparented to init and no process is ever
// copied. The monitor outlives the CLI and belongs to no terminal.
// Only the spec socket, the status pipe, the network socket and the attached stdio reach it:
// everything else berth opens is O_CLOEXEC.
//
// The monitor is started before the CLI has prepared the container, and each part goes over
// as soon as it is ready: the spec (send_spec), then the network (send_network), which the
// monitor waits for only just before it clones the init — the monitor's own start and its
// cgroups overlap the CLI's network setup, on the other CPU.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>

#include "common/error.h"
#include "core/runtime/spec.h"
#include "sys/unique_fd.h"

namespace berth::engine::lifecycle {

class MonitorProcess {
 public:
  // Spawns the monitor, which waits for its spec. attach[i] (our 0/1/2 or -1) are handed over
  // as the container's attached stdio. Throws Error (125).
  static MonitorProcess spawn(const int attach[3]);

  // The spec, whole (the monitor reads it to the end).
  void send_spec(const core::runtime::RuntimeSpec& spec);
  // The network (protocol.h kNetworkFd) and, when net.join_netns, the namespace netns_fd.
  // A monitor that is gone already is not an error here: wait_started() reports why.
  void send_network(const core::runtime::NetworkSpec& net, int netns_fd);
  // Waits for "started". Throws Error with the container's code (125/126/127) and the init's
  // one-line message when it could not start.
  void wait_started();
  // The start failed on our side with e: the monitor is told (it undoes its part of the start
  // and records e as a created container's error), and this waits until it has done so.
  // Nothing once it has started.
  void abandon(const Error& e);

  pid_t container_pid() const { return pid_; }
  pid_t monitor_pid() const { return monitor_pid_; }
  // Attached only: blocks until "exited CODE" and returns CODE (EINTR-safe, so signal
  // handlers may run meanwhile). A monitor that dies first yields 255 "monitor lost".
  int wait_exit();

  // build/berth-monitor, next to /proc/self/exe.
  static std::filesystem::path binary();

 private:
  MonitorProcess(sys::UniqueFd spec, sys::UniqueFd network, sys::UniqueFd status)
      : spec_(std::move(spec)), network_(std::move(network)), status_(std::move(status)) {}
  std::string read_line();

  sys::UniqueFd spec_;     // until send_spec
  sys::UniqueFd network_;  // until send_network
  sys::UniqueFd status_;
  pid_t pid_ = 0;
  pid_t monitor_pid_ = 0;
  std::string buffer_;
};

}  // namespace berth::engine::lifecycle
