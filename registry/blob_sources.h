// Which repositories a blob of the store was pulled from or pushed to ("localhost:5000/a/b"),
// so that a push to another repository of the same registry can mount it instead of uploading
// it (distribution's cross-repository blob mount). One small text file per blob,
// images/sources/<hex>, one repository per line; losing one only costs an upload.
#pragma once

#include <string>
#include <vector>

#include "engine/image/store.h"

namespace berth::registry {

// Adds repository ("DOMAIN/PATH") to each blob's sources (best effort: a failure is logged).
void record_blob_sources(const engine::image::Store& store, const std::vector<std::string>& digests,
                         const std::string& repository);

// The repositories digest is known in, most recent last.
std::vector<std::string> blob_sources(const engine::image::Store& store, const std::string& digest);

}  // namespace berth::registry
