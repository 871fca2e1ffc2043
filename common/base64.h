// Base64 (RFC 4648 §4, the standard alphabet with '=' padding), as Docker's config.json keeps
// a registry credential ("auth": base64("user:password")). Used by the registry credential
// store.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace berth {

// data in base64, padded to a multiple of 4 characters.
std::string base64_encode(std::string_view data);

// The bytes text encodes, or nullopt when it is not base64 (a character outside the
// alphabet, padding anywhere but at the end, a length that no encoding has). Padding may be
// left out, as some writers do.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace berth
