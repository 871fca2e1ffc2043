// berth's small init for `run --init` (`/dev/init --init -- CMD...`, see init_binary.h), in
// the spirit of tini: as the container's PID 1 it starts CMD as its only direct child (looked
// up through the container's PATH), forwards every signal it receives to that child (a
// process that is not PID 1 gets the kernel's default actions, so a SIGTERM from `stop`
// terminates a program that installs no handler), reaps every zombie the container's
// orphans leave, and exits with the child's exit code (128 + signal when it was killed).
#pragma once

namespace berth::core::runtime {

// argv: the program's full argv ("--init", "--", CMD...). Returns the exit status.
int run_tiny_init(int argc, char** argv);

}  // namespace berth::core::runtime
