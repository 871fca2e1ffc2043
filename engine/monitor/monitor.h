// Monitor: the per-container supervisor (ARCHITECTURE.md §2), the body of `berth-monitor`.
// It is the parent of the container's init: it creates the cgroups, clones the init into its
// namespaces, records state.json, copies stdout/stderr to log.json (and to an attached CLI),
// reaps the init, records the exit code and finish time atomically, removes the cgroups, and
// with --rm the whole container. It holds the container's monitor lock for its whole life.
// The event loop (poll on pipes + pidfd) is where restart policies and healthchecks (issue 3)
// will hook in: launch() can run again after an exit.
#pragma once

#include <sys/ioctl.h>

#include <optional>
#include <string>

#include "engine/monitor/code_pages.h"
#include "engine/monitor/restart_policy.h"
#include "engine/runtime/cgroups.h"
#include "engine/runtime/init.h"
#include "engine/runtime/spec.h"
#include "engine/state/container_store.h"
#include "sys/unique_fd.h"

namespace berth::engine::monitor {

class Monitor {
 public:
  // status_fd: the CLI's status pipe (-1 when none). attached: fds 4/5/6 or -1.
  Monitor(runtime::RuntimeSpec spec, int status_fd, const int attached[3]);

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
  void make_stdio(Started& c, sys::UniqueFd (&child_io)[3]);
  void clone_init(Started& c, const runtime::InitPlan& plan, int parent_sync);
  void handshake(Started& c, int sync);
  int supervise(Started& c);
  void finish(int exit_code);
  void release_anonymous_volumes();
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
  runtime::Cgroups cgroups_;
  sys::UniqueFd status_;
  sys::UniqueFd attached_[3];
  sys::UniqueFd log_;
  RestartState restart_;
  CodePageRelease code_pages_;
  // The container's mount namespace, held from its start until after its exit is reported:
  // the last reference's drop unmounts the whole tree and waits for expedited RCU grace
  // periods, which the init's exit would otherwise do before its parent hears of it.
  sys::UniqueFd mount_ns_;
};

}  // namespace berth::engine::monitor
