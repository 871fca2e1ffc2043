// HealthMonitor: the monitor's part that runs a container's healthcheck (Docker's
// daemon/health.go). Each check is an exec into the running container through the exec
// helper (`berth-monitor --exec`, exec_helper.h), with the container's user, env, working
// directory, capabilities, seccomp, no-new-privileges, ulimits, cgroups and namespaces, as
// `berth exec` runs a command; the plan is made once from the RuntimeSpec, so no `berth`
// process runs per check. The check's stdout and stderr are its output; one that outlives its
// timeout is killed (its process group). Results go into state.json (state/health.h).
// Driven by Monitor's poll loop: fds to watch, a timeout, service() when it wakes.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <string>

#include "core/runtime/cgroups.h"
#include "core/runtime/spec.h"
#include "core/state/container_store.h"
#include "core/state/health.h"
#include "sys/unique_fd.h"

namespace berth::core::monitor {

class HealthMonitor {
 public:
  using Clock = std::chrono::steady_clock;

  // Where a result that cannot be recorded is said (the container's log).
  using Note = std::function<void(const std::string&)>;
  // spec.health must be set. The references must outlive this object.
  HealthMonitor(const runtime::RuntimeSpec& spec, const state::ContainerStore& store,
                const runtime::Cgroups& cgroups, Note note);
  ~HealthMonitor() { stop(); }

  // At each start of the container (its status was set to starting with it): the first check
  // comes one interval later (start_interval while in the start period). init_pidfd: the
  // container's init; self_fd: the read-only mount of this executable. Both stay ours.
  void start(int init_pidfd, int self_fd);
  // Kills and reaps a running check; no check runs until the next start().
  void stop();

  // For poll(): the running check's output and pidfd (-1 when none), and the milliseconds
  // until the next check or the running check's timeout (-1: nothing scheduled).
  int output_fd() const { return out_.get(); }
  int process_fd() const { return pidfd_.get(); }
  int timeout_ms() const;
  // After poll: reads output, records the result of a check that ended or timed out, starts
  // the check that is due. True when a result was recorded.
  bool service(bool output_ready, bool process_ready);

 private:
  void launch();
  void read_output();
  void finish_check(int exit_code, std::string output);
  void record(state::HealthResult r);
  void schedule_next();

  const runtime::RuntimeSpec& spec_;
  const state::ContainerStore& store_;
  const runtime::Cgroups& cgroups_;
  Note note_;
  bool noted_failure_ = false;
  std::string plan_;  // the ExecPlan's JSON, made once
  int init_pidfd_ = -1, self_fd_ = -1;
  bool active_ = false;
  Clock::time_point started_, next_;
  // The running check.
  pid_t pid_ = 0;
  sys::UniqueFd pidfd_, out_;
  Clock::time_point deadline_, check_at_;
  std::string check_start_, output_;
  std::string last_status_;
};

}  // namespace berth::core::monitor
