// The images a build starts from (FROM, COPY --from=IMAGE): the local one, else pulled from
// its registry (registry/pull.h) when the build has registry settings; with --pull, every one
// is pulled first. Each pull is one progress vertex, as BuildKit's
// "[internal] load metadata for docker.io/library/x:latest".
#pragma once

#include <optional>
#include <string>

#include "builder/progress.h"
#include "engine/image/store.h"
#include "registry/endpoint.h"

namespace berth::builder {

struct BaseImageSource {
  const registry::RegistryContext* registry = nullptr;  // none: only local images
  bool pull = false;                                    // --pull: pull even a local image
  std::string platform;                                 // "" for the host's
};

// The image `name` names, pulled as `source` says. nullopt when it is not local and cannot
// be pulled (no registry settings). Throws Error when the pull fails.
std::optional<engine::image::Image> base_image(engine::image::Store& store, const std::string& name,
                                               const BaseImageSource& source, Progress& progress);

}  // namespace berth::builder
