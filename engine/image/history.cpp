#include "engine/image/history.h"

#include <algorithm>

#include "common/error.h"
#include "common/timestamps.h"

namespace berth::engine::image {

namespace {

constexpr const char* kMissing = "<missing>";

// A config comes from whatever archive was loaded: a key of the wrong type reads as absent.
std::string string_field(const nlohmann::json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

// Unix seconds of an RFC 3339 field; fallback when it is absent or malformed.
int64_t unix_seconds(const nlohmann::json& object, const char* key, int64_t fallback) {
  auto t = berth::parse_rfc3339(string_field(object, key));
  return t ? static_cast<int64_t>(t->tv_sec) : fallback;
}

bool empty_layer(const nlohmann::json& entry) {
  auto it = entry.find("empty_layer");
  return it != entry.end() && it->is_boolean() && it->get<bool>();
}

// Images without a history (some loaded archives): one anonymous step per layer.
std::vector<HistoryItem> layer_items(int64_t created, const std::vector<int64_t>& layer_sizes) {
  std::vector<HistoryItem> items;
  for (int64_t size : layer_sizes) items.push_back({kMissing, created, "", "", size});
  return items;
}

}  // namespace

std::vector<HistoryItem> history_items(const std::string& id, const nlohmann::json& config,
                                       const std::vector<int64_t>& layer_sizes) {
  if (!config.is_object()) return {};
  const int64_t created = unix_seconds(config, "created", 0);
  auto history = config.find("history");
  std::vector<HistoryItem> items;
  if (history == config.end() || !history->is_array() || history->empty()) {
    items = layer_items(created, layer_sizes);
  } else {
    size_t layer = 0;
    for (const auto& h : *history) {
      if (!h.is_object()) continue;
      HistoryItem item{kMissing, unix_seconds(h, "created", created), string_field(h, "created_by"),
                       string_field(h, "comment"), 0};
      if (!empty_layer(h)) {
        if (layer >= layer_sizes.size())
          throw Error("too many non-empty layers in History section");
        item.size = layer_sizes[layer++];
      }
      items.push_back(std::move(item));
    }
  }
  std::reverse(items.begin(), items.end());
  if (!items.empty()) items.front().id = id;
  return items;
}

std::vector<HistoryItem> image_history(const Store& store, const Image& img) {
  std::vector<int64_t> sizes;
  for (const auto& chain : img.chain_ids) sizes.push_back(store.layer_size(chain));
  try {
    return history_items(img.id, img.config, sizes);
  } catch (const Error& e) {
    throw e.with_context("history " + img.id);
  }
}

}  // namespace berth::engine::image
