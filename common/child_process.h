// Work that must not touch the caller's process (a private mount namespace, mounts that go
// when it exits) done in a forked child. An error crosses back as plain data over a pipe and
// the child _exits, as between clone and execve elsewhere. Used by `cp` (a stopped container's
// root) and the volume copy-up (an image's content into a new volume).
#pragma once

#include <sys/types.h>

#include <functional>
#include <string>

namespace berth {

// Forks; the child runs fn, then exits 0, or writes the message of the std::exception fn threw
// to a pipe (O_CLOEXEC) and exits 1. The parent reads the pipe to its end and reaps the child.
// Throws Error(that message) when the child sent one, Error(failed) when it failed without one,
// Error("pipe2 `what`: ..."/"fork `what`: ...") when it could not start. Libraries that load
// lazily (dlopen) are best loaded before, so that every child does not load them again.
void run_in_child(const std::function<void()>& fn, const std::string& what,
                  const std::string& failed);

// Reaps the child pid, retrying EINTR: its wait status (waitpid(2)'s), or -1 (errno set) when
// it is not a child of this process.
int wait_for(pid_t pid);

// Everything read from fd until end of file (the writer closed it), retrying EINTR; what came
// before a read error.
std::string drain_pipe(int fd);

}  // namespace berth
