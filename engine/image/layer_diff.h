// An overlayfs upper directory (a container's, or a build step's) becomes a gzip'd layer of
// the store, registered as an imported or pulled layer is: its blob under blobs/sha256 and
// its unpacked copy under layers/<chainid>/diff, made by the same extractor, so new
// containers can use it as a lowerdir. Used by `commit` (lifecycle/container_commit.h) and by
// the Dockerfile builder; image_writer.h then puts layers into an image.
#pragma once

#include <cstdint>
#include <string>

#include "engine/image/blob_writer.h"
#include "engine/image/store.h"
#include "engine/image/tree_tar.h"

namespace berth::engine::image {

struct NewLayer {
  std::string digest;      // "sha256:<hex>" of the compressed blob
  int64_t size = 0;        // bytes of the blob
  std::string media_type;  // "application/vnd.oci.image.layer.v1.tar+gzip"
  std::string diff_id;     // "sha256:<hex>" of the uncompressed tar
  std::string chain_id;    // "sha256:<hex>": this layer on top of its parent chain
  int64_t unpacked_size = 0;
};

// The layer tar of the upper directory open at upper_fd (write_layer_tar), gzip'd into blob
// (not finished) in one pass: deterministic gzip (no name, no time in its header), so the same
// tree gives the same blob. Returns the diff ID. Throws Error.
std::string write_layer_blob(int upper_fd, const LayerTarOptions& opts, BlobWriter& blob);

// The diff ID of a tar with no entries (its two zero blocks): Docker's empty layer.
inline constexpr const char* kEmptyLayerDiffId =
    "sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef";

// Writes the diff of the upper directory open at upper_fd as a layer on top of parent_chain
// ("" for the bottom layer) and registers it: blob stored, layer unpacked (or found already
// unpacked, when the same diff was stored on the same parent before). An empty diff is not
// stored: the result then has diff_id kEmptyLayerDiffId, an empty digest and chain_id ==
// parent_chain; Docker records such a step as an empty_layer history entry, without a layer. The
// caller holds store.content_lock() until an image referencing the layer is added (write_image), or
// garbage collection may remove it. Throws Error; nothing is stored on failure.
NewLayer add_layer_diff(Store& store, int upper_fd, const std::string& parent_chain,
                        const LayerTarOptions& opts);

}  // namespace berth::engine::image
