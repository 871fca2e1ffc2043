// `cp`: copies files between a container and the host, in both directions, with every path
// inside the container resolved in the container's root (openat2 RESOLVE_IN_ROOT |
// RESOLVE_NO_MAGICLINKS): a symlink in the container — absolute, or "../../.." — resolves
// inside it, never to a host file. The root is /proc/<init>/root for a running container; for
// a stopped one a child process mounts the container's overlay (layers + upper) in a private
// mount namespace of its own, so nothing stays mounted. The walk below the starting points
// opens each entry relative to its parent with O_NOFOLLOW; symlinks are copied as symlinks
// (Docker's default, no -L).
// Docker's rules: a directory copied onto an existing directory goes inside it; "SRC/." copies
// the contents; a file onto a directory goes inside it.
#pragma once

#include <string>

#include "common/paths.h"

namespace berth::engine::lifecycle {

// Throws Error (exit 1) with a message naming the path, NotFound for the container.
void copy_from_container(const Paths& paths, const std::string& ref, const std::string& src,
                         const std::string& dst);
void copy_to_container(const Paths& paths, const std::string& ref, const std::string& src,
                       const std::string& dst);

// `cp CONTAINER:PATH -`: PATH (resolved in the container's root) as a tar stream on out_fd,
// its entries named after PATH's base name ("." for "PATH/.") as Docker's. Throws Error.
void copy_from_container_tar(const Paths& paths, const std::string& ref, const std::string& src,
                             int out_fd);
// `cp - CONTAINER:DIR`: extracts the tar read from in_fd into DIR, an existing directory
// resolved in the container's root, through the layer extractor's in-root rules
// (image/layer_extract.h: nothing is written outside DIR's tree). Throws Error.
void copy_tar_to_container(const Paths& paths, const std::string& ref, int in_fd,
                           const std::string& dst);

}  // namespace berth::engine::lifecycle
