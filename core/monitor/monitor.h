// Monitor: the per-container supervisor (ARCHITECTURE.md §2), the body of `berth-monitor`.
// It is the parent of the container's init: it creates the cgroups, clones the init into its
// namespaces, records state.json, copies stdout/stderr to log.json (and to an attached CLI),
// reaps the init, records the exit code and finish time atomically, removes the cgroups, and
// with --rm the whole container. It holds the container's monitor lock for its whole life.
// Its event loop polls the output pipes and the init's pidfd; after an exit the restart policy
// (monitor_restart.cpp) may launch the init again.
#pragma once

#include <sys/ioctl.h>

#include <map>
#include <optional>
#include <string>

#include "core/monitor/code_pages.h"
#include "core/monitor/health_monitor.h"
#include "core/monitor/restart_policy.h"
#include "core/runtime/cgroups.h"
#include "core/runtime/init.h"
#include "core/runtime/spec.h"
#include "core/state/container_store.h"
#include "sys/unique_fd.h"

namespace berth::core::monitor {

class Monitor {
 public:
  // What the CLI handed over (protocol.h), each fd or -1; the monitor takes them all.
  struct Fds {
    int status = -1;                 // the CLI's status pipe
    int attached[3] = {-1, -1, -1};  // fds 4/5/6
    int network = -1;                // the network socket (kNetworkFd)
    int self = -1;                   // the read-only mount it was started through (kSelfFd)
  };
  Monitor(runtime::RuntimeSpec spec, const Fds& fds);

  // Runs the container to its end; returns the monitor's exit status (0, or 1 when it could
  // not start the container).
  int run();

 private:
  struct Started {
    pid_t pid = 0;
    sys::UniqueFd pidfd;
    sys::UniqueFd out, err, in;  // our ends: container stdout, stderr, stdin (in: -i only)
    sys::UniqueFd pty;           // with tty: the master, for all three
  };

  Started launch();
  void prepare_files();
  void receive_network();
  void make_stdio(Started& c, sys::UniqueFd (&child_io)[3]);
  void clone_init(Started& c, const runtime::InitPlan& plan, int parent_sync);
  void handshake(Started& c, int sync);
  int supervise(Started& c);
  int next_timeout_ms() const;
  void finish(int exit_code);
  void record_exit(int exit_code, const std::string& error);
  std::string remove_cgroups();
  std::string undo_failed_start(int exit_code, const std::string& msg);
  void note_in_log(const std::string& text);
  // Appends a container event (state/events.h) with the container's attributes, read from its
  // record at the first event.
  void emit(const std::string& action, std::map<std::string, std::string> extra = {});
  std::string release_anonymous_volumes();
  void report(const std::string& line);
  void drop_attached();
  // The attached terminal's size, and a copy of it onto the container's pty (SIGWINCH).
  std::optional<winsize> attached_window_size() const;
  void copy_window_size(int pty);
  // Restart policy (monitor_restart.cpp): records c as running; after an exit, applies the
  // policy and returns true when c was started again (code: the last exit code).
  void mark_running(const Started& c);
  bool restart(Started& c, int& code);
  bool wait_for_restart(std::chrono::milliseconds delay);

  runtime::RuntimeSpec spec_;
  state::ContainerStore store_;
  std::optional<state::ContainerConfig> event_config_;
  runtime::Cgroups cgroups_;
  sys::UniqueFd status_;
  sys::UniqueFd attached_[3];
  sys::UniqueFd log_;
  RestartState restart_;
  std::optional<HealthMonitor> health_;  // with a healthcheck (spec_.health)
  CodePageRelease code_pages_;
  // The container's mount namespace, held from its start until after its exit is reported:
  // the last reference's drop unmounts the whole tree and waits for expedited RCU grace
  // periods, which the init's exit would otherwise do before its parent hears of it.
  sys::UniqueFd mount_ns_;
  // The network socket until its message is read; then the container's network namespace
  // (when it joins one), held for its whole life, restarts included.
  sys::UniqueFd network_channel_;
  bool network_received_ = false;
  sys::UniqueFd netns_;
  // Closed in finish()'s housekeeping, not at the start: the last close of a detached mount
  // unmounts it and waits for an expedited RCU grace period (0.1-1.3 ms on these VMs), and
  // the start is what the caller waits for. Close-on-exec: the init never execs with it.
  sys::UniqueFd self_mount_;
};

}  // namespace berth::core::monitor
