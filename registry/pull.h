// `berth pull`: a reference's manifest (a manifest list / OCI index resolved to one platform),
// its config and layers brought into the image store. Layers are downloaded in parallel,
// each streamed into a partial file in the store (kept across an interruption: a second pull
// resumes it with a Range request) while its sha256 and size are checked; a layer the store
// already holds is not fetched. Layers are unpacked in order as they arrive; the image is
// added (tagged) only when all of it is stored. Nothing half-written becomes visible.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "engine/image/reference.h"
#include "engine/image/store.h"
#include "registry/endpoint.h"
#include "registry/platform.h"

namespace berth::registry {

// A layer's progress, for bars (terminal) or lines (otherwise).
struct LayerEvent {
  std::string id;      // 12 hex of the blob digest, as Docker shows
  std::string status;  // "Pulling fs layer", "Waiting", "Downloading", "Verifying Checksum",
                       // "Download complete", "Extracting", "Pull complete",
                       // "Already exists", "Pushing", "Pushed", "Layer already exists",
                       // "Mounted from REPO"
  int64_t current = 0, total = 0;
};
using ProgressFn = std::function<void(const LayerEvent&)>;

struct PullOptions {
  std::optional<Platform> platform;  // default: the host's
  ProgressFn progress;               // may be empty
  // Layers fetched at once.
  int parallel = 3;
};

struct PullResult {
  engine::image::Image image;
  std::string digest;       // the digest the reference resolved to (of the index, if any)
  bool up_to_date = false;  // the tag already pointed at this image
};

// Throws NotFound when the registry has no such manifest, Error otherwise (the store is
// unchanged but for complete blobs and partial downloads).
PullResult pull_image(engine::image::Store& store, const RegistryContext& ctx,
                      const engine::image::Reference& ref, const PullOptions& options = {});

// Every tag of the repository (`pull -a`): GET /v2/<path>/tags/list, following Link pages.
std::vector<std::string> list_tags(const RegistryContext& ctx, const engine::image::Reference& ref);

struct PushOptions {
  ProgressFn progress;
  int parallel = 3;
};
struct PushResult {
  std::string tag;
  std::string digest;
  int64_t size = 0;  // of the manifest
};

// `berth push`: every layer blob (HEAD first; a mount from a repository it was pulled from or
// pushed to on the same registry when there is one; else an upload), the config, then the
// manifest under the reference's tag. Throws NotFound when there is no such local image.
PushResult push_image(engine::image::Store& store, const RegistryContext& ctx,
                      const engine::image::Reference& ref, const PushOptions& options = {});

}  // namespace berth::registry
