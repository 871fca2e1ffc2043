// `system df`: how much of berth's root each kind of object takes and how much of it nothing
// uses (Docker's "reclaimable"). Returns data; cli/system_cmds.cpp prints the table.
#pragma once

#include <cstdint>

#include "common/paths.h"

namespace berth::engine::lifecycle {

struct UsageRow {
  int total = 0, active = 0;
  int64_t size = 0, reclaimable = 0;  // bytes
};

struct DiskUsage {
  UsageRow images;      // active: used by a container
  UsageRow containers;  // size: their writable layers; active: running
  UsageRow volumes;     // active: mounted by a container
  UsageRow build_cache;
};

// Reads the records and measures the directories; what cannot be read counts as 0 bytes.
DiskUsage disk_usage(const Paths& paths);

}  // namespace berth::engine::lifecycle
