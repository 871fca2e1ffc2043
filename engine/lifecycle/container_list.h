// `ps --filter`: which container records a list shows (label=K, label=K=V, name=SUBSTRING,
// status=WORD, id=PREFIX). Pure over records, so it is unit-tested; what a row prints is
// cli/format/container_rows.h.
#pragma once

#include <string>
#include <vector>

#include "core/state/container.h"

namespace berth::engine::lifecycle {

// Parsed --filter values, Docker's semantics: every label filter must match; for name, status
// and id, any of the values given for the key may match.
class ContainerFilter {
 public:
  // Throws Error (125) "invalid filter 'x'" for a malformed or unknown filter.
  explicit ContainerFilter(const std::vector<std::string>& filters);
  bool matches(const core::state::Container& c) const;
  // True when a status filter is present (then `ps` lists stopped ones without -a).
  bool has_status() const;

 private:
  bool all_labels_match(const core::state::Container& c) const;
  std::vector<std::pair<std::string, std::string>> filters_;
};

}  // namespace berth::engine::lifecycle
