#include "engine/image/image_index.h"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "common/atomic_file.h"
#include "common/error.h"

namespace berth::engine::image {

namespace {
constexpr const char* kRefName = "org.opencontainers.image.ref.name";
constexpr const char* kIntermediate = "io.berth.build.intermediate";
constexpr const char* kIndexType = "application/vnd.oci.image.index.v1+json";
}  // namespace

ImageIndex ImageIndex::read(const std::filesystem::path& path) {
  ImageIndex idx;
  auto text = read_file_if_exists(path);
  if (!text) return idx;
  try {
    auto j = nlohmann::json::parse(*text);
    for (const auto& m : j.at("manifests")) {
      IndexEntry e;
      e.digest = m.at("digest").get<std::string>();
      e.media_type = m.value("mediaType", "");
      e.size = m.value("size", int64_t{0});
      if (m.contains("annotations")) {
        e.ref = m["annotations"].value(kRefName, "");
        e.intermediate = e.ref.empty() && m["annotations"].value(kIntermediate, "") == "true";
      }
      idx.entries_.push_back(std::move(e));
    }
  } catch (const nlohmann::json::exception& e) {
    throw Error("read image index `" + path.string() + "`: " + e.what());
  }
  return idx;
}

void ImageIndex::write(const std::filesystem::path& path) const {
  nlohmann::json j = {{"schemaVersion", 2}, {"mediaType", kIndexType}};
  j["manifests"] = nlohmann::json::array();
  for (const auto& e : entries_) {
    nlohmann::json m = {{"mediaType", e.media_type}, {"digest", e.digest}, {"size", e.size}};
    if (!e.ref.empty()) m["annotations"] = {{kRefName, e.ref}};
    if (e.ref.empty() && e.intermediate) m["annotations"] = {{kIntermediate, "true"}};
    j["manifests"].push_back(std::move(m));
  }
  write_file_atomic(path, j.dump(2) + "\n", 0600);
}

std::vector<std::string> ImageIndex::images() const {
  std::vector<std::string> out;
  for (const auto& e : entries_)
    if (std::find(out.begin(), out.end(), e.digest) == out.end()) out.push_back(e.digest);
  return out;
}

std::vector<std::string> ImageIndex::refs_of(const std::string& digest) const {
  std::vector<std::string> out;
  for (const auto& e : entries_)
    if (e.digest == digest && !e.ref.empty()) out.push_back(e.ref);
  return out;
}

std::string ImageIndex::lookup(const std::string& ref) const {
  for (const auto& e : entries_)
    if (e.ref == ref) return e.digest;
  return "";
}

bool ImageIndex::contains(const std::string& digest) const {
  return std::any_of(entries_.begin(), entries_.end(),
                     [&](const IndexEntry& e) { return e.digest == digest; });
}

void ImageIndex::keep_present(const std::string& digest, const IndexEntry& like) {
  if (contains(digest)) return;
  IndexEntry e = like;
  e.ref.clear();
  e.intermediate = like.intermediate && like.ref.empty();
  entries_.push_back(std::move(e));
}

void ImageIndex::set_ref(const IndexEntry& image, const std::string& ref) {
  remove_ref(ref);  // the image it pointed at stays, untagged if that was its last tag
  // The image drops its untagged placeholder once it has a tag.
  std::erase_if(entries_,
                [&](const IndexEntry& e) { return e.digest == image.digest && e.ref.empty(); });
  IndexEntry e = image;
  e.ref = ref;
  e.intermediate = false;
  entries_.push_back(std::move(e));
}

void ImageIndex::add_untagged(const IndexEntry& image) {
  // A build's result that was one of its steps' images becomes an image of its own.
  if (!image.intermediate)
    for (auto& e : entries_)
      if (e.digest == image.digest) e.intermediate = false;
  keep_present(image.digest, image);
}

bool ImageIndex::remove_ref(const std::string& ref) {
  auto it = std::find_if(entries_.begin(), entries_.end(),
                         [&](const IndexEntry& e) { return e.ref == ref; });
  if (it == entries_.end()) return false;
  IndexEntry like = *it;
  entries_.erase(it);
  keep_present(like.digest, like);
  return true;
}

void ImageIndex::remove_image(const std::string& digest) {
  std::erase_if(entries_, [&](const IndexEntry& e) { return e.digest == digest; });
}

}  // namespace berth::engine::image
