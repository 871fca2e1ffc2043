// `berth save`: images out of the store as one tarball readable both as a docker-archive
// (manifest.json, repositories) and as an OCI image layout (oci-layout, index.json,
// blobs/sha256/...), as Docker ≥ 25 writes it. Blobs are written byte for byte as stored.
#pragma once

#include <string>
#include <vector>

#include "engine/image/store.h"

namespace berth::engine::image {

// Writes the images named by refs to fd (not owned) as an uncompressed tar. A ref naming a
// tag records that tag; a ref by ID records none (as docker). Throws NotFound / Error.
void save_images(const Store& store, const std::vector<std::string>& refs, int fd);

}  // namespace berth::engine::image
