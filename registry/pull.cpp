#include "registry/pull.h"

#include <sys/socket.h>
#include <sys/statvfs.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "common/atomic_file.h"
#include "common/error.h"
#include "engine/image/digest.h"
#include "registry/blob_sources.h"
#include "registry/client.h"
#include "registry/platform.h"
#include "registry/pull_record.h"
#include "sys/unique_fd.h"

namespace berth::registry {

namespace img = engine::image;

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
// tee, when set, sees every byte of the blob from its start (a resumed file's prefix first).
// Returns the verified, not yet committed blob; nullptr when the store already had it.
std::unique_ptr<img::BlobWriter> fetch_verified(img::Store& store, Repository& repo,
                                                const Descriptor& d, const std::atomic<bool>& stop,
                                                const ProgressFn& progress,
                                                const BlobSink& tee = {}) {
  const std::string shown = repo.domain() + "/" + repo.path() + "@" + d.digest;
  auto dir = store.paths().images() / "partial";
  make_dirs(dir);
  auto w = img::BlobWriter::resume(dir / img::digest_hex(d.digest));
  if (store.has_blob(d.digest)) {  // another process finished it while this one waited
    w->discard();
    return nullptr;
  }
  if (w->size() > d.size) {  // not this blob's prefix: start over
    w->discard();
    w = img::BlobWriter::resume(dir / img::digest_hex(d.digest));
  }
  const std::string id = short_id(d.digest);
  int64_t last_report = 0;
  if (tee && w->size() > 0) {
    auto in = w->open_read();
    char buf[128 * 1024];
    for (int64_t left = w->size(); left > 0;) {
      ssize_t n = ::read(in.get(), buf, std::min<int64_t>(left, sizeof buf));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) throw_errno("read", w->path().string(), n < 0 ? errno : EIO);
      if (!tee(buf, static_cast<size_t>(n))) throw Error("pull " + shown + ": stopped");
      left -= n;
    }
  }
  if (w->size() < d.size) {
    {
      // The size is checked here (-1: not by the client), so that an oversized blob's file goes.
      repo.get_blob(d.digest, w->size(), -1, [&](const char* data, size_t len) {
        if (stop.load(std::memory_order_relaxed)) return false;
        if (w->size() + static_cast<int64_t>(len) > d.size) {
          // Not this blob: nothing of it is kept to resume from.
          w->discard();
          throw Error("blob " + shown + " is larger than the " + std::to_string(d.size) +
                      " bytes its manifest says: refused");
        }
        w->write(data, len);
        if (tee && !tee(data, len)) return false;
        if (progress && (w->size() - last_report >= (512 << 10) || w->size() == d.size)) {
          last_report = w->size();
          progress({id, "Downloading", w->size(), d.size});
        }
        return true;
      });
    }
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
  if (progress) progress({id, "Download complete", d.size, d.size});
  return w;
}

// The same, committed to the store.
void fetch_blob(img::Store& store, Repository& repo, const Descriptor& d,
                const std::atomic<bool>& stop, const ProgressFn& progress) {
  if (auto w = fetch_verified(store, repo, d, stop, progress)) store.commit_blob(*w);
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

// One layer to bring in: its blob (unless stored) and its unpacked directory (unless there).
struct LayerJob {
  Descriptor blob;
  std::string diff_id, parent_chain, chain_id;
  bool fetch = false, unpack = false;
};

// Unpacks a stored layer blob; refused content is removed from the store.
void unpack_stored_layer(img::Store& store, const LayerJob& job, const std::string& shown,
                         const ProgressFn& progress) {
  const std::string id = short_id(job.blob.digest);
  if (progress) progress({id, "Extracting", 0, job.blob.size});
  try {
    store.unpack_layer(job.blob.digest, job.parent_chain, job.diff_id);
  } catch (const Error& e) {
    // Refused content (a path leaving the root, a diff ID that does not match) is not kept.
    if (job.fetch) {
      std::error_code ec;
      std::filesystem::remove(store.blob_path(job.blob.digest), ec);
    }
    throw e.with_context("layer " + job.blob.digest + " of " + shown);
  }
}

// Downloads a layer and unpacks it at the same time: the bytes go to the blob file and, over
// a socket pair, to an extractor thread. The unpacked layer is published only when its DiffID
// is the config's and the blob's digest and size are the manifest's (the extractor reaches
// its end only after the download is judged); the blob is committed only when both hold.
void fetch_and_unpack(img::Store& store, Repository& repo, const LayerJob& job,
                      const std::atomic<bool>& stop, const std::string& shown,
                      const ProgressFn& progress) {
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
    throw_errno("socketpair", "layer " + job.blob.digest, errno);
  sys::UniqueFd reader(sv[0]), writer(sv[1]);
  std::atomic<bool> blob_ok{false};
  std::exception_ptr unpack_error;
  std::thread extractor([&] {
    try {
      store.unpack_layer_fd(reader.get(), job.blob.digest, job.parent_chain, job.diff_id,
                            [&] { return blob_ok.load(); });
    } catch (...) {
      unpack_error = std::current_exception();
    }
    ::shutdown(reader.get(), SHUT_RDWR);  // a writer still sending gets EPIPE, not a hang
  });
  std::exception_ptr fetch_error;
  bool extractor_gone = false;
  std::unique_ptr<img::BlobWriter> verified;
  try {
    verified =
        fetch_verified(store, repo, job.blob, stop, progress, [&](const char* data, size_t len) {
          while (len > 0) {
            ssize_t n = ::send(writer.get(), data, len, MSG_NOSIGNAL);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) {
              extractor_gone = true;  // it stopped: its error is the one reported
              return false;
            }
            data += n;
            len -= static_cast<size_t>(n);
          }
          return true;
        });
    blob_ok = verified != nullptr;
  } catch (...) {
    fetch_error = std::current_exception();
  }
  ::shutdown(writer.get(), SHUT_WR);
  extractor.join();
  if (!fetch_error && !verified) {  // another pull stored the blob meanwhile: unpack from it
    unpack_stored_layer(store, job, shown, progress);
    return;
  }
  if (fetch_error && !(unpack_error && extractor_gone)) std::rethrow_exception(fetch_error);
  if (unpack_error) {
    if (verified) verified->discard();  // refused content is not kept, not even to resume
    try {
      std::rethrow_exception(unpack_error);
    } catch (const Error& e) {
      throw e.with_context("layer " + job.blob.digest + " of " + shown);
    }
  }
  if (verified) store.commit_blob(*verified);
}

// Runs the layer jobs on `parallel` threads: each downloads its blob and unpacks it. Layers
// are independent directories (only their chain IDs depend on the layers below), so they are
// unpacked in any order, while other layers download.
class LayerJobs {
 public:
  LayerJobs(img::Store& store, Repository& repo, std::vector<LayerJob> jobs, int parallel,
            const ProgressFn& progress, std::string shown)
      : store_(store),
        repo_(repo),
        jobs_(std::move(jobs)),
        progress_(progress),
        shown_(std::move(shown)) {
    int n = std::max(1, std::min<int>(parallel, static_cast<int>(jobs_.size())));
    for (int i = 0; i < n; ++i) threads_.emplace_back([this] { work(); });
  }
  ~LayerJobs() {
    stop_ = true;
    join();
  }

  // Waits for every job; rethrows the first failure.
  void finish() {
    join();
    if (error_) std::rethrow_exception(error_);
  }

 private:
  void join() {
    for (auto& t : threads_)
      if (t.joinable()) t.join();
  }
  void work() {
    for (;;) {
      size_t i = next_.fetch_add(1);
      if (i >= jobs_.size() || stop_) return;
      const LayerJob& job = jobs_[i];
      try {
        if (job.fetch && job.unpack)
          fetch_and_unpack(store_, repo_, job, stop_, shown_, progress_);
        else if (job.fetch)
          fetch_blob(store_, repo_, job.blob, stop_, progress_);
        else if (job.unpack)
          unpack_stored_layer(store_, job, shown_, progress_);
        if (progress_ && (job.fetch || job.unpack))
          progress_({short_id(job.blob.digest), "Pull complete", job.blob.size, job.blob.size});
      } catch (...) {
        std::lock_guard<std::mutex> lock(mu_);
        if (!error_) error_ = std::current_exception();
        stop_ = true;
      }
    }
  }

  img::Store& store_;
  Repository& repo_;
  std::vector<LayerJob> jobs_;
  const ProgressFn& progress_;
  std::string shown_;
  std::atomic<size_t> next_{0};
  std::atomic<bool> stop_{false};
  std::mutex mu_;
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
    std::string digest =
        select_manifest(top.bytes, options.platform.value_or(host_platform()), shown);
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
  // The tag (if any) and, as Docker's RepoDigests, name@digest of what the reference
  // resolved to: `pull name@<that digest>` (or compose's image: name@...) then finds it here.
  std::vector<img::Reference> tags;
  if (ref.digest.empty()) tags.push_back(ref);
  img::Reference by_digest = ref;
  by_digest.tag.clear();
  by_digest.digest = top.digest;
  tags.push_back(by_digest);
  if (auto existing = store.find_manifest(m.digest)) {
    const auto& have = existing->repo_tags;
    const auto& digests = existing->repo_digests;
    bool tagged = ref.digest.empty()
                      ? std::find(have.begin(), have.end(), ref.str()) != have.end()
                      : std::find(digests.begin(), digests.end(), by_digest.str()) != digests.end();
    if (tagged) {
      result.image = *existing;
      result.up_to_date = true;
      record_pull(store.paths(), m.digest);
      return result;
    }
  }

  // The config first: it names the layers' diff IDs, hence where each is unpacked. It enters
  // the store with the manifest, once everything else is in.
  std::unique_ptr<img::BlobWriter> new_config;
  std::string config_text;
  if (!store.has_blob(config.digest)) {
    check_space(store, config.size, shown);
    std::atomic<bool> no_stop{false};
    new_config = fetch_verified(store, repo, config, no_stop, {});
  }
  // A failed pull leaves no config behind, not even as a partial download (it is small).
  struct DropConfig {
    std::unique_ptr<img::BlobWriter>& w;
    ~DropConfig() {
      if (w && !w->path().empty()) w->discard();
    }
  } drop_config{new_config};
  if (new_config) {
    auto fd = new_config->open_read();
    char buf[64 * 1024];
    for (ssize_t n; (n = ::read(fd.get(), buf, sizeof buf)) > 0;) config_text.append(buf, n);
  } else {
    config_text = store.read_blob(config.digest);
  }
  auto cfg = nlohmann::json::parse(config_text, nullptr, false);
  if (!cfg.is_object() || !cfg.contains("rootfs") || !cfg["rootfs"].is_object() ||
      !cfg["rootfs"].contains("diff_ids") || !cfg["rootfs"]["diff_ids"].is_array())
    throw Error("image config of " + shown + " has no rootfs.diff_ids");
  std::vector<std::string> diff_ids;
  try {
    for (const auto& d : cfg["rootfs"]["diff_ids"])
      diff_ids.push_back(img::validate_digest(d.is_string() ? d.get<std::string>() : ""));
  } catch (const Error& e) {
    throw e.with_context("image config of " + shown);
  }
  if (diff_ids.size() != layers.size())
    throw Error("image config of " + shown + " lists " + std::to_string(diff_ids.size()) +
                " layers, its manifest " + std::to_string(layers.size()));
  const auto chains = img::chain_ids(diff_ids);

  std::vector<LayerJob> jobs;
  int64_t needed = 0;
  for (size_t i = 0; i < layers.size(); ++i) {
    LayerJob job;
    job.blob = layers[i];
    job.diff_id = diff_ids[i];
    job.parent_chain = i == 0 ? "" : chains[i - 1];
    job.chain_id = chains[i];
    job.fetch = !store.has_blob(layers[i].digest);
    job.unpack = job.fetch || !store.has_layer(chains[i]);
    if (job.fetch) needed += layers[i].size;
    if (options.progress)
      options.progress({short_id(layers[i].digest),
                        job.fetch || job.unpack ? "Pulling fs layer" : "Already exists", 0,
                        layers[i].size});
    jobs.push_back(std::move(job));
  }
  check_space(store, needed, shown);
  LayerJobs(store, repo, std::move(jobs), options.parallel, options.progress, shown).finish();

  if (new_config && !store.has_blob(config.digest)) store.commit_blob(*new_config);
  if (store.put_blob(m.bytes) != m.digest)
    throw Error("store manifest of " + shown + ": digest changed");
  result.image = store.add_image(m.digest, tags);
  std::vector<std::string> blob_digests{config.digest};
  for (const auto& l : layers) blob_digests.push_back(l.digest);
  record_blob_sources(store, blob_digests, domain + "/" + path);
  record_pull(store.paths(), m.digest);
  return result;
}

std::vector<std::string> list_tags(const RegistryContext& ctx, const img::Reference& ref) {
  Repository repo(ctx, reference_domain(ref), reference_path(ref));
  return repo.list_tags();
}

}  // namespace berth::registry
