#include "engine/image/usage.h"

#include <nlohmann/json.hpp>

#include "common/atomic_file.h"

namespace berth::engine::image {

std::map<std::string, std::vector<std::string>> containers_by_image(const Paths& paths) {
  std::map<std::string, std::vector<std::string>> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(paths.containers(), ec)) {
    std::optional<std::string> text;
    try {
      text = read_file_if_exists(e.path() / "config.json");
    } catch (const std::exception&) {
      continue;
    }
    if (!text) continue;
    auto j = nlohmann::json::parse(*text, nullptr, false);
    if (!j.is_object() || !j.contains("image_id") || !j["image_id"].is_string()) continue;
    out[j["image_id"].get<std::string>()].push_back(e.path().filename().string());
  }
  return out;
}

}  // namespace berth::engine::image
