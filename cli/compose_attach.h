// `compose up` without -d, after the converge, as Docker Compose runs it attached: "Attaching
// to client-1, web-1", the service containers' output marked with their names
// (compose_log_streams.h), until every one of them has stopped for good. SIGINT or SIGTERM
// stops the stack ("Gracefully stopping... (press Ctrl+C again to force)"), a second one kills
// it; --abort-on-container-exit, --abort-on-container-failure and --exit-code-from stop it when
// a container exits. compose_up.cpp adds the flags and calls it around its converge.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "common/paths.h"
#include "common/signal_fd.h"
#include "orchestrator/converge.h"
#include "schema/model.h"

namespace berth::cli {

struct AttachFlags {
  bool abort_on_exit = false, abort_on_failure = false;
  std::string exit_code_from;  // implies abort_on_exit
  std::vector<std::string> attach, no_attach;
  bool no_color = false, no_prefix = false, timestamps = false;
};

void add_attach_flags(CLI::App& up, AttachFlags& f);

// Compose's checks of the flags that need an attached `up` (-d and --wait are not). Throws
// Error.
void check_attach_flags(const AttachFlags& f, bool detach, bool wait);

class AttachedUp {
 public:
  // Before anything starts: checks the services the flags name (Compose's "no such service:
  // NAME"; throws Error), holds SIGINT and SIGTERM back (one that comes while the stack starts
  // is acted on once attached) and notes the time: what the containers print from now on is
  // shown. services: those `up` names (empty: all).
  AttachedUp(const AttachFlags& f, const schema::Project& project,
             const std::vector<std::string>& services);

  // Follows the containers until they have all stopped; stops (with stop's timeout and
  // progress) or kills the stack as the signals and flags ask. Returns the exit code: 0, the
  // exit code Compose takes with --abort-on-container-exit/--exit-code-from, 130 after a
  // SIGINT or SIGTERM. Throws Error when the stop fails.
  int run(const Paths& paths, const schema::Project& project,
          const orchestrator::ConvergeOptions& stop);

 private:
  AttachFlags flags_;
  std::vector<std::string> attached_;  // the services whose output is shown
  std::vector<std::string> followed_;  // the services whose exit `up` waits for
  std::vector<std::string> stopped_;   // what a stop reaches (empty: the whole project)
  SignalFd signals_;
  timespec since_;
};

}  // namespace berth::cli
