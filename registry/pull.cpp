#include "registry/pull.h"

#include <sys/statvfs.h>
#include <sys/utsname.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "common/error.h"
#include "engine/image/digest.h"
#include "registry/blob_sources.h"
#include "registry/client.h"

namespace berth::registry {

namespace img = engine::image;

std::string Platform::str() const {
  return os + "/" + arch + (variant.empty() ? "" : "/" + variant);
}

namespace {

std::string normal_arch(std::string a) {
  if (a == "x86_64" || a == "x86-64") return "amd64";
  if (a == "aarch64") return "arm64";
  if (a == "i386" || a == "i686") return "386";
  return a;
}

}  // namespace

Platform host_platform() {
  Platform p;
  struct utsname u {};
  ::uname(&u);
  p.arch = normal_arch(u.machine);
  if (p.arch == "arm64") p.variant = "v8";
  return p;
}

Platform parse_platform(const std::string& s) {
  std::vector<std::string> parts;
  for (size_t start = 0;;) {
    size_t slash = s.find('/', start);
    parts.push_back(s.substr(start, slash == std::string::npos ? slash : slash - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  for (const auto& p : parts)
    if (p.empty()) throw Error("invalid platform `" + s + "`: empty component");
  if (parts.size() > 3) throw Error("invalid platform `" + s + "`: too many components");
  Platform p;
  if (parts.size() == 1) {
    p.arch = normal_arch(parts[0]);
  } else {
    p.os = parts[0];
    p.arch = normal_arch(parts[1]);
    if (parts.size() == 3) p.variant = parts[2];
  }
  for (char c : p.os + p.arch + p.variant)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.'))
      throw Error("invalid platform `" + s + "`");
  return p;
}

namespace {

// One descriptor of a manifest, checked: it names a file and a transfer size.
struct Descriptor {
  std::string media_type, digest;
  int64_t size = 0;
  bool is_layer = true;
};

Descriptor read_descriptor(const nlohmann::json& j, const std::string& where) {
  if (!j.is_object()) throw Error(where + ": not a descriptor");
  Descriptor d;
  d.media_type = j.value("mediaType", "");
  try {
    d.digest = img::validate_digest(
        j.contains("digest") && j["digest"].is_string() ? j["digest"].get<std::string>() : "");
  } catch (const Error& e) {
    throw e.with_context(where);
  }
  if (!j.contains("size") || !j["size"].is_number_integer() || j["size"].get<int64_t>() < 0)
    throw Error(where + ": no valid size");
  d.size = j["size"].get<int64_t>();
  if (j.contains("urls")) throw Error(where + ": foreign layers (urls) are not supported");
  return d;
}

bool platform_matches(const nlohmann::json& p, const Platform& want) {
  if (!p.is_object()) return false;
  if (p.value("os", "") != want.os || normal_arch(p.value("architecture", "")) != want.arch)
    return false;
  std::string variant = p.value("variant", "");
  if (want.arch == "arm64") {
    if (variant.empty()) variant = "v8";
    return want.variant.empty() || want.variant == variant;
  }
  return want.variant.empty() || want.variant == variant;
}

std::string choose_platform(const Manifest& index, const Platform& want, const std::string& shown) {
  auto j = nlohmann::json::parse(index.bytes, nullptr, false);
  if (!j.is_object() || !j.contains("manifests") || !j["manifests"].is_array())
    throw Error("manifest list of " + shown + " has no manifests");
  size_t i = 0;
  for (const auto& m : j["manifests"]) {
    auto d = read_descriptor(
        m, "manifest list of " + shown + ": manifests[" + std::to_string(i++) + "]");
    if (m.contains("platform") && platform_matches(m["platform"], want)) return d.digest;
  }
  throw NotFound("no matching manifest for " + want.str() + " in the manifest list entries of " +
                 shown);
}

bool is_layer_media_type(const std::string& t) {
  return t.empty() || t == "application/vnd.oci.image.layer.v1.tar" ||
         t == "application/vnd.oci.image.layer.v1.tar+gzip" ||
         t == "application/vnd.oci.image.layer.v1.tar+zstd" ||
         t == "application/vnd.docker.image.rootfs.diff.tar.gzip" ||
         t == "application/vnd.docker.image.rootfs.diff.tar" ||
         t == "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";
}

std::string short_id(const std::string& digest) {
  return img::digest_hex(digest).substr(0, 12);
}

// Downloads one blob into the store, resuming a partial file, checking size and digest.
void fetch_blob(img::Store& store, Repository& repo, const Descriptor& d,
                const std::atomic<bool>& stop, const ProgressFn& progress) {
  const std::string shown = repo.domain() + "/" + repo.path() + "@" + d.digest;
  auto dir = store.paths().images() / "partial";
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  auto w = img::BlobWriter::resume(dir / img::digest_hex(d.digest));
  if (store.has_blob(d.digest)) {  // another process finished it while this one waited
    w->discard();
    return;
  }
  if (w->size() > d.size) {  // not this blob's prefix: start over
    w->discard();
    w = img::BlobWriter::resume(dir / img::digest_hex(d.digest));
  }
  const std::string id = short_id(d.digest);
  int64_t last_report = 0;
  if (w->size() < d.size) {
    repo.get_blob(d.digest, w->size(), d.size, [&](const char* data, size_t len) {
      if (stop.load(std::memory_order_relaxed)) return false;
      w->write(data, len);
      if (progress && (w->size() - last_report >= (512 << 10) || w->size() == d.size)) {
        last_report = w->size();
        progress({id, "Downloading", w->size(), d.size});
      }
      return true;
    });
  }
  if (progress) progress({id, "Verifying Checksum", w->size(), d.size});
  std::string got = w->finish();
  if (w->size() != d.size) {
    w->discard();
    throw Error("blob " + shown + " is " + std::to_string(w->size()) +
                " bytes, its manifest says " + std::to_string(d.size) +
                ": refused (truncated download)");
  }
  if (got != d.digest) {
    w->discard();
    throw Error("blob " + shown + " has digest " + got + ": refused (digest mismatch)");
  }
  store.commit_blob(*w);
  if (progress) progress({id, "Download complete", d.size, d.size});
}

// The bytes that must still come, checked against the free space of the store's filesystem.
void check_space(const img::Store& store, int64_t needed, const std::string& shown) {
  struct statvfs fs {};
  if (::statvfs(store.paths().root.c_str(), &fs) < 0) return;
  const int64_t free_bytes = static_cast<int64_t>(fs.f_bavail) * static_cast<int64_t>(fs.f_frsize);
  if (needed > free_bytes)
    throw Error("pull " + shown + ": its layers need " + std::to_string(needed) +
                " bytes, the store has " + std::to_string(free_bytes) + " free: refused");
}

// Downloads a list of blobs on `parallel` threads; wait(i) returns when blob i is stored.
class Downloads {
 public:
  Downloads(img::Store& store, Repository& repo, std::vector<Descriptor> blobs, int parallel,
            const ProgressFn& progress)
      : store_(store),
        repo_(repo),
        blobs_(std::move(blobs)),
        done_(blobs_.size(), false),
        progress_(progress) {
    int n = std::max(1, std::min<int>(parallel, static_cast<int>(blobs_.size())));
    for (int i = 0; i < n; ++i) threads_.emplace_back([this] { work(); });
  }
  ~Downloads() { stop(); }

  // Waits until blob i is stored; rethrows the first failure of any download.
  void wait(size_t i) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return done_[i] || error_; });
    if (error_) std::rethrow_exception(error_);
  }

  void stop() {
    stop_ = true;
    for (auto& t : threads_)
      if (t.joinable()) t.join();
  }

 private:
  void work() {
    for (;;) {
      size_t i = next_.fetch_add(1);
      if (i >= blobs_.size() || stop_) return;
      try {
        // Only layers are shown, as Docker does (the config is not a layer).
        static const ProgressFn kSilent;
        fetch_blob(store_, repo_, blobs_[i], stop_, blobs_[i].is_layer ? progress_ : kSilent);
        std::lock_guard<std::mutex> lock(mu_);
        done_[i] = true;
      } catch (...) {
        std::lock_guard<std::mutex> lock(mu_);
        if (!error_) error_ = std::current_exception();
        stop_ = true;
      }
      cv_.notify_all();
    }
  }

  img::Store& store_;
  Repository& repo_;
  std::vector<Descriptor> blobs_;
  std::vector<bool> done_;
  const ProgressFn& progress_;
  std::atomic<size_t> next_{0};
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::condition_variable cv_;
  std::exception_ptr error_;
  std::vector<std::thread> threads_;
};

}  // namespace

PullResult pull_image(img::Store& store, const RegistryContext& ctx, const img::Reference& ref,
                      const PullOptions& options) {
  const std::string domain = reference_domain(ref), path = reference_path(ref);
  const std::string shown = ref.str();
  Repository repo(ctx, domain, path);
  const std::string reference = ref.digest.empty() ? ref.tag : ref.digest;
  Manifest top = repo.get_manifest(reference);
  Manifest m = top;
  if (is_index_media_type(top.media_type)) {
    std::string digest = choose_platform(top, options.platform.value_or(host_platform()), shown);
    m = repo.get_manifest(digest);
    if (is_index_media_type(m.media_type))
      throw Error("manifest list of " + shown + " points at another manifest list: refused");
  }
  auto j = nlohmann::json::parse(m.bytes, nullptr, false);
  if (!j.is_object() || !j.contains("config") || !j.contains("layers") || !j["layers"].is_array())
    throw Error("manifest of " + shown + " (" + m.digest + ") has no config or layers");
  const std::string what = "manifest of " + shown;
  Descriptor config = read_descriptor(j["config"], what + ": config");
  config.is_layer = false;
  if (config.size > (8 << 20))
    throw Error(what + ": its config is " + std::to_string(config.size) + " bytes: refused");
  std::vector<Descriptor> layers;
  for (const auto& l : j["layers"]) {
    layers.push_back(read_descriptor(l, what + ": layers[" + std::to_string(layers.size()) + "]"));
    if (!is_layer_media_type(layers.back().media_type))
      throw Error(what + ": layers[" + std::to_string(layers.size() - 1) +
                  "]: unsupported media type " + layers.back().media_type);
  }

  auto hold = store.content_lock();
  PullResult result;
  result.digest = top.digest;
  std::vector<img::Reference> tags;
  if (ref.digest.empty()) tags.push_back(ref);
  if (auto existing = store.find_manifest(m.digest)) {
    bool tagged = tags.empty();
    for (const auto& t : existing->repo_tags)
      if (!tags.empty() && t == tags[0].str()) tagged = true;
    if (tagged) {
      result.image = *existing;
      result.up_to_date = true;
      return result;
    }
  }

  // What must be fetched.
  std::vector<Descriptor> missing;
  int64_t needed = 0;
  if (!store.has_blob(config.digest)) missing.push_back(config), needed += config.size;
  for (const auto& l : layers)
    if (!store.has_blob(l.digest)) missing.push_back(l), needed += l.size;
  check_space(store, needed, shown);
  if (options.progress)
    for (const auto& l : layers)
      options.progress({short_id(l.digest),
                        store.has_blob(l.digest) ? "Already exists" : "Pulling fs layer", 0,
                        l.size});

  Downloads downloads(store, repo, missing, options.parallel, options.progress);
  auto wait_for = [&](const std::string& digest) {
    for (size_t i = 0; i < missing.size(); ++i)
      if (missing[i].digest == digest) downloads.wait(i);
  };
  wait_for(config.digest);
  auto cfg = nlohmann::json::parse(store.read_blob(config.digest), nullptr, false);
  if (!cfg.is_object() || !cfg.contains("rootfs") || !cfg["rootfs"].contains("diff_ids") ||
      !cfg["rootfs"]["diff_ids"].is_array())
    throw Error("image config of " + shown + " has no rootfs.diff_ids");
  std::vector<std::string> diff_ids;
  for (const auto& d : cfg["rootfs"]["diff_ids"])
    diff_ids.push_back(img::validate_digest(d.is_string() ? d.get<std::string>() : ""));
  if (diff_ids.size() != layers.size())
    throw Error("image config of " + shown + " lists " + std::to_string(diff_ids.size()) +
                " layers, its manifest " + std::to_string(layers.size()));

  std::string parent;
  for (size_t i = 0; i < layers.size(); ++i) {
    wait_for(layers[i].digest);
    const std::string id = short_id(layers[i].digest);
    if (options.progress) options.progress({id, "Extracting", 0, layers[i].size});
    try {
      parent = store.unpack_layer(layers[i].digest, parent, diff_ids[i]).chain_id;
    } catch (const Error& e) {
      // Refused content (a path leaving the root, a diff ID that does not match) is not kept.
      if (std::find_if(missing.begin(), missing.end(), [&](const Descriptor& d) {
            return d.digest == layers[i].digest;
          }) != missing.end()) {
        std::error_code ec;
        std::filesystem::remove(store.blob_path(layers[i].digest), ec);
      }
      throw e.with_context("layer " + layers[i].digest + " of " + shown);
    }
    if (options.progress) options.progress({id, "Pull complete", layers[i].size, layers[i].size});
  }
  downloads.stop();

  if (store.put_blob(m.bytes) != m.digest)
    throw Error("store manifest of " + shown + ": digest changed");
  result.image = store.add_image(m.digest, tags);
  std::vector<std::string> blob_digests{config.digest};
  for (const auto& l : layers) blob_digests.push_back(l.digest);
  record_blob_sources(store, blob_digests, domain + "/" + path);
  return result;
}

std::vector<std::string> list_tags(const RegistryContext& ctx, const img::Reference& ref) {
  Repository repo(ctx, reference_domain(ref), reference_path(ref));
  return repo.list_tags();
}

}  // namespace berth::registry
