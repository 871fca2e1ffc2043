#include "engine/image/image_writer.h"

#include "common/error.h"

namespace berth::engine::image {

nlohmann::json parent_run_config(const std::optional<Image>&) {
  return nlohmann::json::object();
}

Image write_image(Store&, const NewImage&) {
  throw Error("not written yet");
}

std::string rfc3339_seconds(int64_t) {
  return "";
}

std::optional<int64_t> parse_source_date_epoch(const char*) {
  return std::nullopt;
}

}  // namespace berth::engine::image
