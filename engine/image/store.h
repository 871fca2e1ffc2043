// The image content store (ARCHITECTURE.md §3, §6): OCI image-layout semantics on disk.
//   images/blobs/sha256/<hex>   manifests, configs and compressed layers, by digest
//   images/index.json           reference ("busybox:latest") → manifest digest
//   layers/<chainid>/diff       each layer unpacked once; overlay lowerdirs
// Used by `import`, `load`, `save`, `images`, `tag`, `rmi`, and by container creation,
// which asks for an image's config and its unpacked layer directories.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "common/paths.h"

namespace berth::engine::image {

struct Image {
  std::string id;               // "sha256:<hex>" of the config blob: Docker's image ID
  std::string manifest_digest;  // "sha256:<hex>" of the manifest blob
  std::vector<std::string> repo_tags;  // e.g. "busybox:latest"
  nlohmann::json config;        // the OCI image config blob as stored ("config", "rootfs", ...)
  std::vector<std::string> chain_ids;  // "sha256:<hex>", lowest layer first
  int64_t size = 0;             // unpacked size of all layers, bytes
  std::string created;          // RFC 3339, from the config
};

class Store {
 public:
  explicit Store(const Paths& paths);

  // Finds an image by "name[:tag]" (tag defaults to latest; "docker.io/library/" prefixes
  // are normalised away), by full or prefix ID (with or without "sha256:"), or by
  // "name@sha256:..." digest. Throws NotFound("No such image: REF").
  Image resolve(const std::string& ref) const;

  // All images, newest first.
  std::vector<Image> list() const;

  // The unpacked layer directories (layers/<chainid>/diff) of img, lowest first: overlayfs
  // lowerdirs are given top-most first, so callers reverse this.
  std::vector<std::filesystem::path> layer_dirs(const Image& img) const;

 private:
  Paths paths_;
};

}  // namespace berth::engine::image
