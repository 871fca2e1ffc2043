// Random identifiers: 64 hex digits for containers (Docker's shape: `ps` shows the
// first 12), read from getrandom(2).
#pragma once

#include <string>

namespace berth {

// Returns 2*bytes lowercase hex digits of fresh randomness. Throws Error.
std::string random_hex(size_t bytes = 32);

}  // namespace berth
