#include "registry/pull_record.h"

#include <charconv>
#include <filesystem>

#include "common/atomic_file.h"
#include "common/error.h"
#include "engine/image/digest.h"

namespace berth::registry {

namespace {

std::filesystem::path record_path(const Paths& paths, const std::string& manifest_digest) {
  const std::string digest = engine::image::validate_digest(manifest_digest);
  return paths.images() / "pulled" / digest.substr(digest.find(':') + 1);
}

}  // namespace

void record_pull(const Paths& paths, const std::string& manifest_digest, Clock::time_point when) {
  const auto path = record_path(paths, manifest_digest);
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  if (ec) throw Error("create " + path.parent_path().string() + ": " + ec.message());
  const auto secs = std::chrono::duration_cast<std::chrono::seconds>(when.time_since_epoch());
  // Not fsynced: a record lost in a crash only makes the next timed pull come sooner.
  write_file_atomic(path, std::to_string(secs.count()) + "\n", 0644, false);
}

std::optional<Clock::time_point> last_pull(const Paths& paths, const std::string& manifest_digest) {
  auto text = read_file_if_exists(record_path(paths, manifest_digest));
  if (!text) return std::nullopt;
  int64_t secs = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), secs);
  if (ec != std::errc() || end == text->data()) return std::nullopt;
  return Clock::time_point(std::chrono::seconds(secs));
}

}  // namespace berth::registry
