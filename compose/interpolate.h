// Phase 2, interpolation: `$V`, `${V}`, `${V:-d}`, `${V-d}`, `${V:?msg}`, `${V?msg}`,
// `${V:+r}`, `${V+r}`, nesting inside the default/replacement, `$$` for a literal `$`
// (compose-spec "Interpolation"). Applied to values only (never keys), per file, before the
// files are merged. Also used by the dotenv parser for `${V}` inside .env values.
#pragma once

#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "schema/node.h"

namespace berth::compose {

// Returns the value of a variable, or nullopt when it is unset.
using Lookup = std::function<std::optional<std::string>(std::string_view name)>;

// A bad template or a required variable without a value; the tree walker adds the place.
class InterpolationError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Expands one string. Throws InterpolationError.
std::string interpolate_string(std::string_view text, const Lookup& lookup);

// Expands every scalar value of the tree in place (keys untouched). Throws
// schema::ComposeError naming file:line:col and the key path.
void interpolate_tree(schema::Node& root, const Lookup& lookup);

}  // namespace berth::compose
