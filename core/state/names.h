// Container names: Docker's rules for user-chosen names ([a-zA-Z0-9][a-zA-Z0-9_.-]+, an
// optional leading "/") and its "adjective_surname" generator for unnamed containers.
#pragma once

#include <string>

namespace berth::core::state {

// Returns the name without a leading "/". Throws Error (exit 125) naming the bad name.
std::string validate_name(const std::string& name);

// A random "adjective_surname" such as "focused_turing" (getrandom-seeded).
std::string random_name();

}  // namespace berth::core::state
