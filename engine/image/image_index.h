// images/index.json: the store's table of contents, an OCI image index (image-layout spec
// "index.json"). One entry per reference, carrying the annotation
// org.opencontainers.image.ref.name = "busybox:latest"; an image without tags has one
// entry without it. Pure data operations plus atomic read/write; callers hold the lock.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace berth::engine::image {

struct IndexEntry {
  std::string digest;  // manifest digest
  std::string media_type;
  int64_t size = 0;
  std::string ref;  // "" for an untagged image
  // A build step's image (the builder's cache), untagged: hidden from `images` unless -a,
  // left by `image prune` unless -a. Annotation io.berth.build.intermediate=true.
  bool intermediate = false;
};

class ImageIndex {
 public:
  // Reads path; a missing file is an empty index. Throws Error naming the file if corrupt.
  static ImageIndex read(const std::filesystem::path& path);
  void write(const std::filesystem::path& path) const;

  const std::vector<IndexEntry>& entries() const { return entries_; }
  // Distinct manifest digests, in first-seen order.
  std::vector<std::string> images() const;
  // The references pointing at digest.
  std::vector<std::string> refs_of(const std::string& digest) const;
  // The digest ref points at, or "".
  std::string lookup(const std::string& ref) const;
  bool contains(const std::string& digest) const;

  // Points ref at the image (moving it); an image that loses its last tag stays, untagged.
  void set_ref(const IndexEntry& image, const std::string& ref);
  // Adds the image without a tag unless it is already present; added as not intermediate, it
  // stops being one.
  void add_untagged(const IndexEntry& image);
  // Removes ref; returns false when absent.
  bool remove_ref(const std::string& ref);
  // Removes every entry of digest.
  void remove_image(const std::string& digest);

 private:
  void keep_present(const std::string& digest, const IndexEntry& like);
  std::vector<IndexEntry> entries_;
};

}  // namespace berth::engine::image
