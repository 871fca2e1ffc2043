// Starting a helper process apart from the caller (ARCHITECTURE.md §2: the container monitor,
// the DNS server, the userland port proxy). The helper starts in a new session with an empty
// signal mask and default dispositions (the caller may block signals while it starts a
// container), with exactly the fds it is given and no environment, and it is nobody's child:
// an intermediate process that shares the caller's memory (clone CLONE_VM | CLONE_VFORK)
// posix_spawns it (vfork + exec) and exits, so it is reparented to init (or the nearest
// subreaper) before spawn_session returns. No process is ever copied: a fork of the large CLI
// or of the helper would cost a page-table copy, re-faults of its text in the child and an
// exit (~1 ms here).
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
// everything O_CLOEXEC). Returns the helper's pid once it has exec'd; it is not the caller's
// child (never wait for it). Throws Error "spawn `what`: strerror".
pid_t spawn_session(const std::string& path, const std::vector<std::string>& argv,
                    const std::vector<SpawnFd>& fds, const std::string& what);

}  // namespace berth
