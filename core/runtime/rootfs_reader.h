// Reads a file of a container's root filesystem before it is mounted, from its layer
// directories (top-most first), resolving every path component inside the layer with
// openat2(RESOLVE_IN_ROOT): absolute symlinks and ".." stay in the layer, so an image can
// never make berth read a host file. Used for /etc/passwd and /etc/group (user.h).
// Limitation: a symlink in one layer whose target lives in another layer is not followed.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace berth::core::runtime {

// The content of `path` (absolute, in the container) from the first layer that has it,
// nullopt when none does or a whiteout hides it. Throws Error on read errors other than
// "not there", and for files over 4 MiB.
std::optional<std::string> read_in_layers(const std::vector<std::filesystem::path>& top_first,
                                          const std::string& path);

}  // namespace berth::core::runtime
