// Copy-up: an empty volume mounted where the image has content is first filled with that
// content (Docker's behaviour for volumes; never for binds; skipped with volume-nocopy).
//
// The image is read as the container would see it: in a forked child, in a private mount
// namespace, the container's layers are mounted as a read-only overlay (so whiteouts, opaque
// directories and symlinks across layers mean what they mean inside), the target is resolved
// with openat2(RESOLVE_IN_ROOT), and the tree is copied with *at() calls that never follow a
// symlink: symlinks are copied as symlinks, so an image cannot make berth read or write a
// host path. Owner, mode and times are kept; the volume's root takes the target's owner and
// mode. Hard links become separate files.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace berth::volumes {

// layers_top_first: overlay lower directories (the container's upper dir first, if any).
// scratch: an existing directory where a temporary mount point may be made.
// Throws Error naming the target when the copy fails.
void copy_up(const std::vector<std::filesystem::path>& layers_top_first, const std::string& target,
             const std::filesystem::path& data_dir, const std::filesystem::path& scratch);

}  // namespace berth::volumes
