// `system prune`: removes what nothing uses — stopped containers, networks without a
// container, dangling (or with all_images, unused) images and, only when asked, anonymous
// volumes (Docker ≥ 23). Returns what it removed; cli/system_cmds.cpp asks and prints.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/paths.h"

namespace berth::engine::lifecycle {

struct SystemPruneOptions {
  bool all_images = false;  // -a: every image no container uses, not just dangling ones
  bool volumes = false;     // --volumes: anonymous volumes no container uses
};

struct SystemPruneReport {
  std::vector<std::string> containers;  // full IDs
  std::vector<std::string> networks;    // names
  std::vector<std::string> images;      // "untagged: …" / "deleted: sha256:…"
  std::vector<std::string> volumes;     // names
  int64_t reclaimed = 0;                // bytes
  std::vector<std::string> failures;    // one message per container that could not be removed
};

// Best effort: a container that cannot be removed is reported in failures and the rest goes on.
SystemPruneReport prune_system(const Paths& paths, const SystemPruneOptions& options);

}  // namespace berth::engine::lifecycle
