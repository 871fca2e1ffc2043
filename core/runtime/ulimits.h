// `--ulimit NAME=SOFT[:HARD]` (Docker's names: core, cpu, data, fsize, locks, memlock,
// msgqueue, nice, nofile, nproc, rss, rtprio, rttime, sigpending, stack), applied with
// setrlimit(2) in the container's init and in exec'd processes (security.h). A limit the
// process could not set (raising a hard limit needs CAP_SYS_RESOURCE, which these hosts lack)
// is refused before the container starts, with a message saying why.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace berth::core::runtime {

struct Ulimit {
  std::string name;  // "nofile"
  int64_t soft = 0;  // -1: unlimited
  int64_t hard = 0;
  bool operator==(const Ulimit&) const = default;
};

// Parses "nofile=1024:2048" ("nofile=1024" sets both; "unlimited" or -1 for no limit).
// Throws Error (125) naming the flag value.
Ulimit parse_ulimit(const std::string& text);
// RLIMIT_* number of a Docker ulimit name, -1 if unknown.
int rlimit_resource(const std::string& name);

// Throws Error (125) when this process cannot set `u` (hard limit above its own without
// CAP_SYS_RESOURCE): "ulimit nofile=65536:65536: cannot raise the hard limit above 20000
// without CAP_SYS_RESOURCE".
void check_ulimit_settable(const Ulimit& u);

nlohmann::json to_json(const Ulimit& u);
Ulimit ulimit_from_json(const nlohmann::json& j);

}  // namespace berth::core::runtime
