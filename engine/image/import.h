// `berth import`: a rootfs tarball (any of gzip, zstd, xz, none) becomes a one-layer image,
// as `docker import`: the blob is stored as given, the config gets the --change
// instructions, an OCI manifest ties them together, and the optional reference tags it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/image/reference.h"
#include "engine/image/store.h"

namespace berth::engine::image {

struct ImportOptions {
  std::string source;                  // a path, or "-" for stdin (shown in the history)
  std::optional<Reference> reference;  // tag to set; none leaves the image untagged
  std::vector<std::string> changes;    // --change instructions, applied in order
  std::string message;                 // -m: the history comment
};

// Reads the tarball from fd (not owned) and adds the image. Throws Error (the layer
// extractor's refusal, a bad --change); nothing is added to the index on failure.
Image import_image(Store& store, int fd, const ImportOptions& opts);

// Now in RFC 3339 with nanoseconds, UTC ("2026-11-29T19:00:00.123456789Z").
std::string now_rfc3339();

}  // namespace berth::engine::image
