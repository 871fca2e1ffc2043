// The image content store (ARCHITECTURE.md §3, §6): OCI image-layout semantics on disk.
//   images/blobs/sha256/<hex>   manifests, configs and compressed layers, by digest
//   images/index.json           an OCI index: one entry per reference ("busybox:latest",
//                               annotation org.opencontainers.image.ref.name) and one
//                               entry without it for each untagged image
//   layers/<chainid>/diff       each layer unpacked once; overlay lowerdirs
//   layers/<chainid>/meta.json  {"diff_id", "parent", "size"}
// Used by `import`, `load`, `save`, `images`, `tag`, `rmi`, and by container creation,
// which asks for an image's config and its unpacked layer directories.
// Concurrency: index writes hold <runroot>/locks/images.lock; writers of new content hold
// images-gc.lock shared and garbage collection holds it exclusive; each layer is published
// by one rename under <runroot>/locks/layer-<hex>.lock.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/file_lock.h"
#include "common/paths.h"
#include "engine/image/blob_writer.h"
#include "engine/image/reference.h"

namespace berth::engine::image {

struct Image {
  std::string id;                      // "sha256:<hex>" of the config blob: Docker's image ID
  std::string manifest_digest;         // "sha256:<hex>" of the manifest blob
  std::vector<std::string> repo_tags;  // e.g. "busybox:latest"
  // "name@sha256:..." references: the digests a registry knows the image by (a pull records
  // the digest its reference resolved to, a manifest list's included), as Docker's RepoDigests.
  std::vector<std::string> repo_digests;
  nlohmann::json config;    // the OCI image config blob as stored ("config", "rootfs", ...)
  nlohmann::json manifest;  // the OCI (or Docker v2) manifest as stored
  std::vector<std::string> chain_ids;  // "sha256:<hex>", lowest layer first
  int64_t size = 0;                    // unpacked size of all layers, bytes
  std::string created;                 // RFC 3339, from the config
  bool intermediate = false;           // a build step's untagged image (image_index.h)
};

struct LayerInfo {
  std::string chain_id;  // "sha256:<hex>"
  std::string diff_id;   // "sha256:<hex>" of the uncompressed tar
  int64_t size = 0;
};

class Store {
 public:
  explicit Store(const Paths& paths);

  // Finds an image by "name[:tag]" (tag defaults to latest; "docker.io/library/" prefixes
  // are normalised away), by full or prefix ID (with or without "sha256:"), or by
  // "name@sha256:..." digest. Throws NotFound("No such image: REF").
  Image resolve(const std::string& ref) const;
  // Like resolve, nullopt when there is no such image.
  std::optional<Image> find(const std::string& ref) const;
  // The image whose manifest has this digest, nullopt when the index does not hold it.
  std::optional<Image> find_manifest(const std::string& manifest_digest) const;

  // All images, newest first.
  std::vector<Image> list() const;

  // The unpacked layer directories (layers/<chainid>/diff) of img, lowest first: overlayfs
  // lowerdirs are given top-most first, so callers reverse this.
  std::vector<std::filesystem::path> layer_dirs(const Image& img) const;

  const Paths& paths() const { return paths_; }
  // Whether the layer chain is unpacked (layers/<chainid>/meta.json exists).
  bool has_layer(const std::string& chain_id) const;
  // Unpacked size of one layer in bytes (0 when it is not unpacked).
  int64_t layer_size(const std::string& chain_id) const;

  // --- content (used by import, load, save) ---
  std::filesystem::path blob_path(const std::string& digest) const;
  bool has_blob(const std::string& digest) const;
  // Throws NotFound when the blob is missing.
  std::string read_blob(const std::string& digest) const;
  // Stores data; returns its digest.
  std::string put_blob(const std::string& data);
  // A writer whose temp file lives in the store; finish() it, then commit_blob.
  std::unique_ptr<BlobWriter> new_blob() const;
  void commit_blob(BlobWriter& w);

  // Held (shared) while adding content, so garbage collection cannot remove it between
  // its creation and the index entry that references it.
  FileLock content_lock() const;

  // Unpacks the layer blob on top of parent_chain ("" for the bottom layer) unless that
  // chain is already unpacked. expected_diff_id, when given, is checked (and lets an
  // already unpacked layer be found without reading the blob). Throws Error.
  LayerInfo unpack_layer(const std::string& blob_digest, const std::string& parent_chain,
                         const std::string& expected_diff_id);
  // The same, reading the layer from fd (not owned); name is used in errors.
  // publish, when given, is asked once the layer is unpacked and checked, before it becomes
  // visible: false discards it (a pull whose blob turned out corrupt) and throws Error.
  LayerInfo unpack_layer_fd(int fd, const std::string& name, const std::string& parent_chain,
                            const std::string& expected_diff_id,
                            const std::function<bool()>& publish = {});

  // Adds the image whose manifest blob (and its config and layer blobs, and unpacked
  // layers) is stored, and points each tag at it (moving tags from other images).
  // intermediate: an untagged build step's image, hidden from `images` (image_index.h); an
  // image added again without it stops being one.
  Image add_image(const std::string& manifest_digest, const std::vector<Reference>& tags,
                  bool intermediate = false);
  // Points tag at img (moving it from another image).
  void tag(const Image& img, const Reference& tag);
  // Removes the tag; the image stays, untagged. Returns false when the tag did not exist.
  bool untag(const Reference& tag);
  // Removes the image from the index (all its tags) and collects unreferenced blobs and
  // layers. Callers check containers first (usage.h).
  void remove(const Image& img);
  // Deletes blobs and unpacked layers no image references, and stale temp files.
  void collect_garbage();

 private:
  Image load_image(const std::string& manifest_digest) const;
  // The same, from the manifest already read and parsed.
  Image load_image(const std::string& manifest_digest, nlohmann::json manifest) const;
  std::filesystem::path layer_dir(const std::string& chain_id) const;
  Paths paths_;
};

}  // namespace berth::engine::image
