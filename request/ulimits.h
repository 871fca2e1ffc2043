// Resource limits as typed entries (Docker's names: core, cpu, data, fsize, locks, memlock,
// msgqueue, nice, nofile, nproc, rss, rtprio, rttime, sigpending, stack) and the one parser of
// `--ulimit NAME=SOFT[:HARD]`; compose's `ulimits:` map gives the same entries, checked by the
// same validate_ulimit().
#pragma once

#include <cstdint>
#include <string>

namespace berth::request {

struct Ulimit {
  std::string name;  // "nofile"
  int64_t soft = 0;  // -1: unlimited
  int64_t hard = 0;
  bool operator==(const Ulimit&) const = default;
};

// Parses "nofile=1024:2048" ("nofile=1024" sets both; "unlimited" or -1 for no limit). Throws
// std::invalid_argument with the reason; the caller names the flag or the key.
Ulimit parse_ulimit(const std::string& text);
// Throws std::invalid_argument for an unknown name or a soft limit above the hard one.
void validate_ulimit(const Ulimit& u);
// RLIMIT_* number of a Docker ulimit name, -1 if unknown.
int rlimit_resource(const std::string& name);
// "unlimited" for a negative limit, else the number.
std::string limit_text(int64_t v);

}  // namespace berth::request
