// Which containers use an image. The container code's contract: each container record is
// <root>/containers/<id>/config.json, a JSON object whose string field "image_id" is
// "sha256:<hex>". Derived on demand (ARCHITECTURE.md §3: nothing is stored twice).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/paths.h"

namespace berth::engine::image {

// image ID → IDs of the containers created from it. A missing containers directory means
// no containers; unreadable records are skipped (they are reported by the container code).
std::map<std::string, std::vector<std::string>> containers_by_image(const Paths& paths);

}  // namespace berth::engine::image
