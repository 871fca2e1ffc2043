// `ps`: the rows Docker prints for containers — status words ("Up 3 seconds",
// "Exited (0) 2 seconds ago", "Created"), the quoted and shortened COMMAND, "5 seconds ago" —
// the --filter rules (label=K, label=K=V, name=SUBSTRING, status=WORD, id=PREFIX) and the
// --format json object. Pure functions over records and "now", so they are unit-tested.
#pragma once

#include <time.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "engine/state/container.h"

namespace berth::engine::lifecycle {

// "Up 3 seconds", "Exited (0) 2 seconds ago", "Created", "Dead".
std::string status_text(const state::Container& c, const timespec& now);
// "5 seconds ago".
std::string running_for(const state::Container& c, const timespec& now);
// "\"httpd -f -p 8080\"", truncated to 20 characters with "…" unless no_trunc.
std::string command_text(const state::ContainerConfig& c, bool no_trunc = false);

// Parsed --filter values, Docker's semantics: every label filter must match; for name, status
// and id, any of the values given for the key may match.
class ContainerFilter {
 public:
  // Throws Error (125) "invalid filter 'x'" for a malformed or unknown filter.
  explicit ContainerFilter(const std::vector<std::string>& filters);
  bool matches(const state::Container& c) const;
  // True when a status filter is present (then `ps` lists stopped ones without -a).
  bool has_status() const;

 private:
  bool all_labels_match(const state::Container& c) const;
  std::vector<std::pair<std::string, std::string>> filters_;
};

// Docker's `ps --format json` object for one container.
nlohmann::json ps_json(const state::Container& c, const timespec& now);

// The table, with Docker's header and column padding.
std::string ps_table(const std::vector<state::Container>& rows, const timespec& now,
                     bool no_trunc = false);

}  // namespace berth::engine::lifecycle
