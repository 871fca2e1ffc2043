// MonitorProcess: the CLI's side of monitor/protocol.h. spawn() starts a `berth-monitor`
// (found next to the running berth binary, /proc/self/exe) detached: posix_spawn in a new
// session (vfork + exec, cheaper than forking the large CLI), then the small static monitor
// forks once and its first process exits, which the CLI reaps at once — the classic
// fork → setsid → fork → exec, reordered so the CLI itself is never copied. The monitor
// outlives the CLI and belongs to no terminal.
// Only the spec pipe, the status pipe and the attached stdio reach it: everything else berth
// opens is O_CLOEXEC.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>

#include "engine/runtime/spec.h"
#include "sys/unique_fd.h"

namespace berth::engine::lifecycle {

class MonitorProcess {
 public:
  // Spawns the monitor with spec and waits for "started". attach[i] (our 0/1/2 or -1) are
  // handed over as the container's attached stdio. Throws Error with the container's code
  // (125/126/127) and the init's one-line message when it could not start.
  // netns_fd (or -1) is handed over as the container's network namespace (kNetnsFd).
  static MonitorProcess spawn(const runtime::RuntimeSpec& spec, const int attach[3],
                              int netns_fd = -1);

  pid_t container_pid() const { return pid_; }
  pid_t monitor_pid() const { return monitor_pid_; }
  // Attached only: blocks until "exited CODE" and returns CODE (EINTR-safe, so signal
  // handlers may run meanwhile). A monitor that dies first yields 255 "monitor lost".
  int wait_exit();

  // build/berth-monitor, next to /proc/self/exe.
  static std::filesystem::path binary();

 private:
  MonitorProcess(sys::UniqueFd status, pid_t pid) : status_(std::move(status)), pid_(pid) {}
  std::string read_line();

  sys::UniqueFd status_;
  pid_t pid_ = 0;
  pid_t monitor_pid_ = 0;
  std::string buffer_;
};

}  // namespace berth::engine::lifecycle
