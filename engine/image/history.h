// `history IMAGE`'s data, as Docker's daemon builds it (ImageHistory): one item per entry of
// the config's "history" (image-spec), newest first, each with the unpacked size of the layer
// it made (0 for an empty_layer step such as ENV or CMD; the others take the layers in order).
// An image whose config has no history gets one item per layer. Used by `berth history`.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "engine/image/store.h"

namespace berth::engine::image {

struct HistoryItem {
  std::string id;       // the image ID for the newest item, "<missing>" for the steps below it
  int64_t created = 0;  // Unix seconds
  std::string created_by;
  std::string comment;
  int64_t size = 0;  // bytes, the unpacked layer this step made
};

// The items of an image with ID `id` and config `config`; layer_sizes holds the unpacked size
// of each layer, lowest first. An entry without "created" takes the image's. Throws Error
// "too many non-empty layers in History section" (Docker's words) when the history names
// more layers than there are.
std::vector<HistoryItem> history_items(const std::string& id, const nlohmann::json& config,
                                       const std::vector<int64_t>& layer_sizes);

// The same for an image of the store, its layer sizes read from the unpacked layers.
std::vector<HistoryItem> image_history(const Store& store, const Image& img);

}  // namespace berth::engine::image
