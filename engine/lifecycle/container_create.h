// `create` (and the first half of `run`, and compose's containers): resolves the image and the
// typed request (request/container_request.h) into a container
// record (state/container.h) plus the generated /etc/hostname, /etc/hosts, /etc/resolv.conf
// in the container's directory. Nothing runs yet; start_container() does that.
#pragma once

#include <string>

#include "common/paths.h"
#include "core/state/container.h"
#include "request/container_request.h"

namespace berth::engine::lifecycle {

// Throws NotFound for an unknown image, Error (125) for bad flags or a name in use.
core::state::Container create_container(const Paths& paths, const request::ContainerRequest& req);

}  // namespace berth::engine::lifecycle
