// Removing images with Docker's rules (`rmi`, `image prune`): a tag that is not the image's
// last is only untagged; removing by ID an image with several tags, or an image a container
// uses, needs force; force on an image in use only untags it, so the container keeps its
// layers. Containers are found through usage.h.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/image/store.h"

namespace berth::engine::image {

// Removes ref; returns Docker's lines ("Untagged: busybox:latest", "Deleted: sha256:…").
// Throws NotFound("No such image: REF") or Error("conflict: unable to …").
std::vector<std::string> remove_image(Store& store, const std::string& ref, bool force);

struct PruneReport {
  std::vector<std::string> lines;  // "untagged: …" / "deleted: sha256:…"
  int64_t reclaimed = 0;           // bytes of layers removed
};

// Removes images no container uses: untagged ones, or every one when all is set.
PruneReport prune_images(Store& store, bool all);

}  // namespace berth::engine::image
