#include "schema/pull_policy.h"

#include <stdexcept>

#include "common/units.h"

namespace berth::schema {

PullPolicy parse_pull_policy(const std::string& s) {
  using K = PullPolicy::Kind;
  using namespace std::chrono_literals;
  if (s.empty() || s == "missing" || s == "if_not_present") return {K::kMissing};
  if (s == "always" || s == "refresh") return {K::kAlways};
  if (s == "never") return {K::kNever};
  if (s == "build") return {K::kBuild};
  if (s == "daily") return {K::kEvery, 24h};
  if (s == "weekly") return {K::kEvery, 7 * 24h};
  if (s.rfind("every_", 0) == 0) {
    // Whole seconds: a sub-second interval would mean "always" in practice.
    const int64_t ns = parse_duration(s.substr(6));
    if (ns >= 1'000'000'000) return {K::kEvery, std::chrono::seconds(ns / 1'000'000'000)};
  }
  throw std::invalid_argument("invalid pull policy: " + s);
}

}  // namespace berth::schema
