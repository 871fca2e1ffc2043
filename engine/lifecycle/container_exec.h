// `exec`: starts a process in a running container, directly from the CLI (no daemon, and no
// round trip through the monitor: see docs/DESIGN-NOTES.md "exec"). The CLI resolves the
// plan (user from the container's /etc/passwd read through /proc/<pid>/root in-root, env =
// the container's + -e/--env-file, working dir = -w or the container's WorkingDir), forks a
// child that runs `berth-monitor --exec` from a private read-only detached mount, puts it in
// the container's cgroups and hands it the plan (runtime/exec_helper.h). The exec'd process
// is then a child of this CLI, which relays its stdio through pipes or its pty (never
// handing it the CLI's own fds: exec_relay.h), waits for it and returns its exit code.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/paths.h"
#include "core/runtime/exec_plan.h"
#include "core/state/container.h"
#include "request/env.h"

namespace berth::engine::lifecycle {

struct ExecOptions {
  std::vector<std::string> argv;       // CMD...
  std::vector<request::EnvPair> env;   // --env-file then -e, resolved (request/env.h)
  std::optional<std::string> user;     // -u (default: the container's User)
  std::optional<std::string> workdir;  // -w (default: the container's WorkingDir)
  bool tty = false;                    // -t
  bool interactive = false;            // -i
  bool detach = false;                 // -d
  bool privileged = false;             // --privileged
  // Waits for the exit as without -d, but the output goes to /dev/null (compose's lifecycle
  // hooks in `up -d`, which Compose runs detached and does not show).
  bool discard_output = false;
};

// The plan for c (running, init pid `pid`). Throws Error (125) for an unknown user.
core::runtime::ExecPlan build_exec_plan(const core::state::Container& c, pid_t pid,
                                        const ExecOptions& o);

// Runs the command; returns its exit code (0 at once with -d). Throws Error with 125 (engine:
// not running, paused, setns failed ...), 126 (not executable) or 127 (not found) and
// Docker's message.
int exec_container(const Paths& paths, const std::string& ref, const ExecOptions& o);

}  // namespace berth::engine::lifecycle
