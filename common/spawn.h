// Starting a helper process apart from the caller (ARCHITECTURE.md §2: the container monitor,
// the DNS server, the userland port proxy). posix_spawn is vfork + exec, so the large CLI is
// never copied; the helper starts in a new session with an empty signal mask and default
// dispositions (the caller may block signals while it starts a container), with exactly the
// fds it is given and no environment. Each helper forks once and lets its first process exit,
// which the caller reaps with wait_child(): the helper is then nobody's child.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace berth {

// One fd of the new process: `source` of the caller (or -1 for /dev/null) becomes `target`.
struct SpawnFd {
  int source;
  int target;
};

// Runs `path` with `argv` (argv[0] included). Every fd above the highest target is closed in
// the child; fds below it that are not targets keep whatever the caller has there (berth opens
// everything O_CLOEXEC). Returns the pid. Throws Error "spawn `what`: strerror".
pid_t spawn_session(const std::string& path, const std::vector<std::string>& argv,
                    const std::vector<SpawnFd>& fds, const std::string& what);

// Waits for the child (EINTR-safe); its wait status.
int wait_child(pid_t pid);

}  // namespace berth
