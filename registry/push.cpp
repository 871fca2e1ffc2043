// `berth push` (declared in pull.h with the other transfers).
#include <fcntl.h>

#include <atomic>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "common/error.h"
#include "engine/image/digest.h"
#include "registry/blob_sources.h"
#include "registry/client.h"
#include "registry/pull.h"
#include "sys/unique_fd.h"

namespace berth::registry {

namespace img = engine::image;

namespace {

struct PushBlob {
  std::string digest;
  int64_t size = 0;
  bool is_layer = true;
  std::string mount_from;  // a repository of the same registry that has it
};

// One blob: already there, mounted, or uploaded.
void push_blob(img::Store& store, Repository& repo, const PushBlob& b, const ProgressFn& progress) {
  const std::string id = img::digest_hex(b.digest).substr(0, 12);
  auto report = [&](const std::string& status, int64_t current) {
    if (progress && b.is_layer) progress({id, status, current, b.size});
  };
  if (repo.blob_exists(b.digest)) {
    report("Layer already exists", b.size);
    return;
  }
  if (!b.mount_from.empty() && repo.mount_blob(b.digest, b.mount_from)) {
    report("Mounted from " + b.mount_from, b.size);
    return;
  }
  report("Preparing", 0);
  auto path = store.blob_path(b.digest);
  sys::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) throw_errno("open", path.string(), errno);
  repo.upload_blob(b.digest, fd.get(), b.size, [&](int64_t done) { report("Pushing", done); });
  report("Pushed", b.size);
}

}  // namespace

PushResult push_image(img::Store& store, const RegistryContext& ctx, const img::Reference& ref,
                      const PushOptions& options) {
  auto found = store.find(ref.str());
  if (!found) throw NotFound("An image does not exist locally with the tag: " + ref.name);
  const img::Image& image = *found;
  const std::string domain = reference_domain(ref), path = reference_path(ref);
  const std::string self = domain + "/" + path;

  // The blobs, each with a repository to mount it from when one is known.
  std::vector<PushBlob> blobs;
  auto add = [&](const nlohmann::json& d, bool is_layer) {
    PushBlob b;
    b.digest = img::validate_digest(d.value("digest", ""));
    b.size = d.value("size", int64_t{0});
    b.is_layer = is_layer;
    if (!store.has_blob(b.digest))
      throw Error("push " + ref.str() + ": blob " + b.digest + " is missing from the store");
    for (const auto& src : blob_sources(store, b.digest))
      if (src != self && src.rfind(domain + "/", 0) == 0)
        b.mount_from = src.substr(domain.size() + 1);
    blobs.push_back(b);
  };
  if (!image.manifest.contains("layers") || !image.manifest["layers"].is_array())
    throw Error("push " + ref.str() + ": its manifest has no layers");
  for (const auto& l : image.manifest["layers"]) add(l, true);
  add(image.manifest.at("config"), false);

  Repository repo(ctx, domain, path, Repository::Access::kPush);
  for (const auto& b : blobs)
    if (!b.mount_from.empty()) repo.add_scope("repository:" + b.mount_from + ":pull");
  if (options.progress)
    for (const auto& b : blobs)
      if (b.is_layer)
        options.progress({img::digest_hex(b.digest).substr(0, 12), "Preparing", 0, b.size});

  std::atomic<size_t> next{0};
  std::mutex mu;
  std::exception_ptr error;
  auto work = [&] {
    for (;;) {
      size_t i = next.fetch_add(1);
      if (i >= blobs.size()) return;
      {
        std::lock_guard<std::mutex> lock(mu);
        if (error) return;
      }
      try {
        push_blob(store, repo, blobs[i], options.progress);
      } catch (...) {
        std::lock_guard<std::mutex> lock(mu);
        if (!error) error = std::current_exception();
      }
    }
  };
  std::vector<std::thread> threads;
  int n = std::max(1, std::min<int>(options.parallel, static_cast<int>(blobs.size())));
  for (int i = 1; i < n; ++i) threads.emplace_back(work);
  work();
  for (auto& t : threads) t.join();
  if (error) std::rethrow_exception(error);

  Manifest m;
  m.bytes = store.read_blob(image.manifest_digest);
  m.digest = image.manifest_digest;
  m.media_type = image.manifest.value("mediaType", kOciManifest);
  PushResult result;
  result.tag = ref.tag.empty() ? ref.digest : ref.tag;
  result.digest = repo.put_manifest(result.tag, m);
  result.size = static_cast<int64_t>(m.bytes.size());
  std::vector<std::string> digests;
  for (const auto& b : blobs) digests.push_back(b.digest);
  record_blob_sources(store, digests, self);
  return result;
}

}  // namespace berth::registry
