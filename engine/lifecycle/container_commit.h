// `commit`: a container's changes (the diff of its overlay upper directory) become a new image
// on top of the container's image, with the container's configuration (its Env, Cmd,
// Entrypoint, WorkingDir, User, Labels, StopSignal over the image's) and the --change
// instructions applied, as `docker commit` does. A running container is frozen meanwhile
// (unless told not to), so the layer is one moment of its filesystem.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/paths.h"
#include "engine/image/layer_diff.h"
#include "engine/image/reference.h"
#include "engine/image/store.h"
#include "engine/image/tree_tar.h"

namespace berth::engine::lifecycle {

struct CommitOptions {
  std::string author;                         // -a: the config's "author"
  std::string message;                        // -m: the config's "comment"
  std::vector<std::string> changes;           // -c: Dockerfile instructions (image/change.h)
  bool pause = true;                          // -p: freeze a running container meanwhile
  std::optional<image::Reference> reference;  // REPO[:TAG] to tag the image with
  std::optional<int64_t> source_date_epoch;   // SOURCE_DATE_EPOCH: times clamped to it
};

// How a container's upper directory is written as a layer (commit, and the builder's RUN
// steps): times clamped to source_date_epoch, the runtime's /etc mount placeholders left out.
image::LayerTarOptions container_layer_options(std::optional<int64_t> source_date_epoch);

// The diff of container id's upper directory as a layer of the store on top of parent_chain
// (image/layer_diff.h add_layer_diff with container_layer_options): a builder's RUN step, once
// its container has exited. An empty diff is not stored (NewLayer::digest empty). The caller
// holds store.content_lock() until the image using the layer is written. Throws Error.
image::NewLayer container_layer(const Paths& paths, image::Store& store, const std::string& id,
                                const std::string& parent_chain,
                                std::optional<int64_t> source_date_epoch);

// Commits the container named or identified by ref and returns the new image. Throws
// NotFound ("No such container: REF"), Error for a bad --change (before any work) or a layer
// that cannot be written; nothing is added to the image index on failure.
image::Image commit_container(const Paths& paths, const std::string& ref,
                              const CommitOptions& opts);

}  // namespace berth::engine::lifecycle
