// A service's `pull_policy` (compose-spec services.pull_policy) as a typed value: when `up`,
// `create` and `run` pull its image. `missing` is also spelt `if_not_present`, `refresh` is
// Compose's older word for `always`; `daily`, `weekly` and `every_<duration>` (a Go duration,
// e.g. every_12h) pull when the image was last pulled longer ago than that.
// Used by the compose validation tables (compose/canonical_service.cpp) and orchestrator/pull.h.
#pragma once

#include <chrono>
#include <string>

namespace berth::schema {

struct PullPolicy {
  enum class Kind { kMissing, kAlways, kNever, kBuild, kEvery };
  Kind kind = Kind::kMissing;
  std::chrono::seconds every{0};  // kEvery: the longest time since the last pull
  bool operator==(const PullPolicy&) const = default;
};

// "" is `missing`. Throws std::invalid_argument for another word, or an every_ whose duration
// is not a positive Go duration.
PullPolicy parse_pull_policy(const std::string& s);

}  // namespace berth::schema
