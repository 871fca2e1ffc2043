// A root filesystem mounted for the calling process only: a container's overlay for `cp` on a
// stopped container, an image's layers for the volume copy-up. Meant for a child process
// (child_process.h): it leaves the caller's mount namespace, and its mounts go when it exits.
#pragma once

#include <string>
#include <vector>

#include "sys/unique_fd.h"

namespace berth {

struct RootLayers {
  std::vector<std::string> lower;  // top-most first
  std::string upper, work;         // both empty: read-only
};

// "lowerdir=A:B" and, with an upper layer, ",upperdir=U,workdir=W" (overlayfs options).
std::string overlay_options(const RootLayers& layers);

// Moves the calling process into a new mount namespace (unshare CLONE_NEWNS; "/" made rprivate
// so that nothing mounted here reaches the host), mounts the layers on mnt (an overlay; the
// only lower layer bind-mounted when there is no upper one) and returns an O_PATH fd on its
// root (O_CLOEXEC, the caller's). Throws Error "OP `SUBJECT`: strerror".
sys::UniqueFd mount_private_root(const RootLayers& layers, const std::string& mnt);

}  // namespace berth
