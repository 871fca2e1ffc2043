// `image inspect` / `inspect IMAGE`: an image as Docker's API shows it (ImageInspect:
// Id, RepoTags, RepoDigests, Created, Config, Architecture, Os, Size, RootFS, ...).
#pragma once

#include <nlohmann/json.hpp>

#include "engine/image/store.h"

namespace berth::engine::image {

// Docker's ImageInspect object for img, keys in Docker's order.
nlohmann::ordered_json inspect_json(const Image& img);

}  // namespace berth::engine::image
