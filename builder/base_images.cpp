#include "builder/base_images.h"

#include "common/error.h"
#include "engine/image/reference.h"
#include "registry/pull.h"

namespace berth::builder {

namespace img = engine::image;

std::optional<img::Image> base_image(img::Store& store, const std::string& name,
                                     const BaseImageSource& source, Progress& progress) {
  if (!source.pull)
    if (auto local = store.find(name)) return local;
  auto ref = img::try_parse_reference(name);
  if (!source.registry || !ref) return source.pull ? store.find(name) : std::nullopt;
  const std::string shown =
      ref->full_name() + (ref->digest.empty() ? ":" + ref->tag : "@" + ref->digest);
  auto v = progress.begin("[internal] load metadata for " + shown);
  registry::PullOptions options;
  if (!source.platform.empty()) options.platform = registry::parse_platform(source.platform);
  try {
    auto result = registry::pull_image(store, *source.registry, *ref, options);
    v.done();
    return result.image;
  } catch (const Error& e) {
    v.error(e.what());
    throw Error("failed to resolve source metadata for " + shown + ": " + e.what());
  }
}

}  // namespace berth::builder
