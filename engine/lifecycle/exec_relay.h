// The stdio of an attached `exec`, relayed by the CLI. The exec'd process never holds the
// CLI's own stdin/stdout/stderr: they are the caller's files (a host log it must not read back
// through /proc/self/fd/1, nor write to after exec returned). It gets pipe ends, or its pty's
// slave with -t, and the CLI copies between their other ends and its own stdio in one poll
// loop, as Docker's exec attach does. Used by container_exec.cpp.
#pragma once

#include <sys/types.h>

#include "sys/unique_fd.h"

namespace berth::engine::lifecycle {

struct ExecPipes {
  sys::UniqueFd child[3];  // the process's 0, 1, 2 (no 0 without -i: it gets /dev/null)
  sys::UniqueFd ours[3];   // stdin's write end (-i only), stdout's and stderr's read ends
};

// Close-on-exec pipes for a process without a pty. Throws Error (125).
ExecPipes make_exec_pipes(bool interactive);

// Copies our stdin into ours[0] (closed at our EOF), ours[1] to our stdout and ours[2] to our
// stderr until the process `pid` (our child; not reaped here) has exited and both output
// pipes are at EOF. Output that something it left behind keeps open is cut off 2 s after
// the exit (Docker's grace): our ends are closed, its writes fail. A stream of ours that
// cannot be written closes the process's pipe, which sees EPIPE as it would have.
void relay_pipes(pid_t pid, ExecPipes& pipes);

// -t: copies the pty master to our stdout and (with -i) our stdin to it until the process
// has exited and its output is drained; copies our terminal's size on SIGWINCH.
void relay_pty(pid_t pid, int master, bool interactive);

}  // namespace berth::engine::lifecycle
