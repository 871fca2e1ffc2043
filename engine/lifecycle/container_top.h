// `top CONTAINER [ps OPTIONS]`: the container's processes, found through its cgroup
// (cgroup.procs), shown as Docker shows them. Without options the rows are read from /proc in
// `ps -ef`'s columns (UID PID PPID C STIME TTY TIME CMD); with options the host's `ps` runs
// with them and only the container's rows are kept (Docker's own method), which needs a PID
// column.
#pragma once

#include <sys/types.h>
#include <string>
#include <vector>

#include "core/state/container_store.h"

namespace berth::engine::lifecycle {

struct ProcessTable {
  std::vector<std::string> titles;
  std::vector<std::vector<std::string>> processes;
};

// Host pids of every process in the container's cgroup, sorted. Throws Error.
std::vector<pid_t> container_pids(const std::string& id);

// Throws Error "Container ID is not running" (exit 1), or for bad ps options.
ProcessTable top_container(const core::state::ContainerStore& store, const std::string& id,
                           const std::vector<std::string>& ps_args);

// Docker's layout: tab-writer columns, min width 20, padding 3.
std::string format_table(const ProcessTable& t);

}  // namespace berth::engine::lifecycle
