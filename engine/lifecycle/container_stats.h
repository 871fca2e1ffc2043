// `stats`: a container's resource use read from its cgroups (cgroup v1 controllers or the v2
// unified files) and its network namespace (/proc/<init>/net/dev), in Docker's columns:
// CPU % (the container's CPU time over the host's, times the online CPUs, between two samples),
// MEM USAGE / LIMIT (page cache's inactive files excluded, as Docker's CLI does; no limit
// shows the host's memory), MEM %, NET I/O, BLOCK I/O, PIDS.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/state/container.h"

namespace berth::engine::lifecycle {

struct StatsSample {
  uint64_t cpu_ns = 0;     // the container's CPU time
  uint64_t system_ns = 0;  // the host's total CPU time (/proc/stat)
  uint64_t mem_usage = 0, mem_limit = 0;
  uint64_t net_rx = 0, net_tx = 0;
  uint64_t blk_read = 0, blk_write = 0;
  uint64_t pids = 0;
};

// Reads one sample of a running container. Throws Error when its cgroup is gone.
StatsSample sample_stats(const core::state::Container& c);

struct StatsRow {
  std::string id, name, cpu, mem_usage, mem_perc, net_io, block_io, pids;
};

// Docker's formatting of the change between two samples (go-units sizes).
StatsRow stats_row(const core::state::Container& c, const StatsSample& before,
                   const StatsSample& after);
nlohmann::ordered_json stats_json(const StatsRow& r);
std::string stats_table(const std::vector<StatsRow>& rows);

// go-units: BytesSize ("1.5MiB") and HumanSizeWithPrecision(v, 3) ("1.2kB").
std::string bytes_size(double v);
std::string human_size(double v);

}  // namespace berth::engine::lifecycle
