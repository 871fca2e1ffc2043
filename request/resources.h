// Resource limits as asked (`-m`, `--memory-swap`, `--cpus`, `--cpu-shares`, `--cpuset-cpus`,
// `--pids-limit`, `--ulimit`; compose's mem_limit, memswap_limit, cpus, cpu_shares, cpuset,
// pids_limit, ulimits). The same struct is the runtime's record (core/runtime/resources.h
// checks and applies it). Byte sizes parse with common/units.h.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "request/ulimits.h"

namespace berth::request {

inline constexpr int64_t kDefaultPidsLimit = 2048;

struct Resources {
  int64_t memory = 0;       // bytes; 0: no limit
  int64_t memory_swap = 0;  // Docker's memory+swap total; 0: twice memory, -1: unlimited swap
  int64_t nano_cpus = 0;    // --cpus × 1e9; 0: no quota
  int64_t cpu_shares = 0;   // 0: the default (1024)
  std::string cpuset_cpus;  // "0-1,3"; "": all
  int64_t pids_limit = kDefaultPidsLimit;  // <= 0: unlimited
  std::vector<Ulimit> ulimits;
  bool operator==(const Resources&) const = default;
};

// "1.5" → 1500000000 nano-CPUs. Throws std::invalid_argument.
int64_t parse_cpus(const std::string& text);
// 1.5 → 1500000000. Throws std::invalid_argument for a negative or non-finite count.
int64_t nano_cpus(double cpus);
// "0-1,3". Throws std::invalid_argument.
void validate_cpuset(const std::string& text);
// Adds `u`, replacing an earlier limit of the same name (the last --ulimit wins).
void set_ulimit(Resources& r, const Ulimit& u);

}  // namespace berth::request
