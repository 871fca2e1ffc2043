// `berth load`: a docker-archive tarball (`docker save`: manifest.json, <config>.json,
// layer tars, possibly symlinked) or an OCI image-layout tarball (oci-layout, index.json,
// blobs/sha256/...), optionally compressed, into the store. Every member is copied into a
// temp blob file keyed by its digest, never by its name, so the archive's own paths are
// only used as lookup keys and cannot point anywhere. Blobs are stored byte for byte, so
// manifest and config digests survive a save → load round trip.
#pragma once

#include <string>
#include <vector>

#include "engine/image/store.h"

namespace berth::engine::image {

// Loads the archive read from fd (not owned). Returns Docker's output lines ("Loaded
// image: busybox:latest", "Loaded image ID: sha256:..."). Throws Error naming the member
// or blob at fault; images fully added before a failure stay.
std::vector<std::string> load_archive(Store& store, int fd);

}  // namespace berth::engine::image
