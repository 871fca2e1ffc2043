// Phase 1, parse: YAML text → schema::Node with file:line:col marks (libyaml).
// Expands anchors/aliases with a bound on the total number of nodes (a "billion laughs"
// file is refused), applies `<<` merge keys, keeps the `!reset` / `!override` tags for the
// merge phase, and refuses duplicate keys. Used by the loader for every compose file.
#pragma once

#include <string>
#include <string_view>

#include "schema/node.h"

namespace berth::compose {

// Parses `text` read from `file` (the name used in error marks). An empty document is an
// empty mapping. Throws schema::ComposeError with the position on any YAML error.
schema::Node parse_yaml(std::string_view text, const std::string& file);

}  // namespace berth::compose
