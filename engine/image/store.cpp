#include "engine/image/store.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "common/atomic_file.h"
#include "common/error.h"
#include "engine/image/digest.h"
#include "engine/image/image_index.h"

namespace berth::engine::image {

namespace fs = std::filesystem;

namespace {

nlohmann::json parse_json(const std::string& text, const std::string& what) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw Error("parse " + what + ": " + e.what());
  }
}

}  // namespace

Store::Store(const Paths& paths) : paths_(paths) {}

fs::path Store::blob_path(const std::string& digest) const {
  if (!is_sha256_digest(digest)) throw Error("invalid digest `" + digest + "`");
  return paths_.images() / "blobs" / "sha256" / digest_hex(digest);
}

bool Store::has_blob(const std::string& digest) const {
  return fs::exists(blob_path(digest));
}

std::string Store::read_blob(const std::string& digest) const {
  auto data = read_file_if_exists(blob_path(digest));
  if (!data) throw NotFound("blob " + digest + " is missing from the image store");
  return *data;
}

std::string Store::put_blob(const std::string& data) {
  std::string digest = sha256_digest(data);
  fs::path path = blob_path(digest);
  if (!fs::exists(path)) {
    make_dirs(path.parent_path());
    write_file_atomic(path, data, 0644);
  }
  return digest;
}

std::unique_ptr<BlobWriter> Store::new_blob() const {
  make_dirs(paths_.images() / "tmp");
  return std::make_unique<BlobWriter>(paths_.images() / "tmp");
}

void Store::commit_blob(BlobWriter& w) {
  fs::path path = blob_path(w.digest());
  make_dirs(path.parent_path());
  if (::rename(w.path().c_str(), path.c_str()) < 0) throw_errno("rename", path.string(), errno);
  w.release();
}

FileLock Store::content_lock() const {
  paths_.ensure();
  return FileLock(paths_.locks() / "images-gc.lock", FileLock::Mode::kShared);
}

Image Store::load_image(const std::string& manifest_digest) const {
  return load_image(manifest_digest,
                    parse_json(read_blob(manifest_digest), "manifest " + manifest_digest));
}

Image Store::load_image(const std::string& manifest_digest, nlohmann::json manifest) const {
  Image img;
  img.manifest_digest = manifest_digest;
  img.manifest = std::move(manifest);
  try {
    img.id = img.manifest.at("config").at("digest").get<std::string>();
    img.config = parse_json(read_blob(img.id), "image config " + img.id);
    std::vector<std::string> diff_ids;
    if (img.config.contains("rootfs"))
      diff_ids = img.config["rootfs"].value("diff_ids", std::vector<std::string>{});
    for (const auto& d : diff_ids) {
      try {
        validate_digest(d);
      } catch (const Error& e) {
        throw e.with_context("image " + manifest_digest + ": diff ID " + nlohmann::json(d).dump());
      }
    }
    img.chain_ids = chain_ids(diff_ids);
    img.created = img.config.value("created", "");
  } catch (const nlohmann::json::exception& e) {
    throw Error("image " + manifest_digest + ": " + e.what());
  }
  for (const auto& c : img.chain_ids) img.size += layer_size(c);
  return img;
}

bool Store::has_layer(const std::string& chain_id) const {
  std::error_code ec;
  return fs::exists(layer_dir(chain_id) / "meta.json", ec);
}

int64_t Store::layer_size(const std::string& chain_id) const {
  auto meta = read_file_if_exists(layer_dir(chain_id) / "meta.json");
  if (!meta) return 0;
  auto j = nlohmann::json::parse(*meta, nullptr, false);
  return j.is_object() ? j.value("size", int64_t{0}) : 0;
}

std::optional<Image> Store::find(const std::string& ref) const {
  auto index = ImageIndex::read(paths_.images() / "index.json");
  auto with_tags = [&](const std::string& digest, std::optional<nlohmann::json> manifest = {}) {
    Image img = manifest ? load_image(digest, std::move(*manifest)) : load_image(digest);
    img.repo_tags = index.refs_of(digest);
    return img;
  };
  std::string id_prefix;
  if (ref.rfind("sha256:", 0) == 0) {
    id_prefix = ref.substr(7);
  } else if (auto r = try_parse_reference(ref)) {
    if (!r->digest.empty()) {
      if (index.contains(r->digest)) return with_tags(r->digest);
    } else if (auto d = index.lookup(r->str()); !d.empty()) {
      return with_tags(d);
    }
    if (is_hex(ref)) id_prefix = ref;
  } else if (is_hex(ref)) {
    id_prefix = ref;
  }
  if (id_prefix.empty() || !is_hex(id_prefix)) return std::nullopt;
  if (id_prefix.size() == 64) {
    // A full ID (a container's ImageID at every start): the manifests name their config, so
    // only they are read until the image is found, not every image's config and layers.
    const std::string id = "sha256:" + id_prefix;
    for (const auto& digest : index.images()) {
      auto manifest = nlohmann::json::parse(read_blob(digest), nullptr, false);
      if (manifest.is_object() && manifest.contains("config") && manifest["config"].is_object() &&
          manifest["config"].value("digest", "") == id)
        return with_tags(digest, std::move(manifest));
    }
    return std::nullopt;
  }
  std::optional<Image> found;
  for (auto& img : list()) {
    if (digest_hex(img.id).rfind(id_prefix, 0) != 0) continue;
    if (found && found->id != img.id)
      throw Error("multiple IDs found with provided prefix: " + id_prefix);
    if (!found) found = std::move(img);
  }
  return found;
}

std::optional<Image> Store::find_manifest(const std::string& manifest_digest) const {
  auto index = ImageIndex::read(paths_.images() / "index.json");
  if (!index.contains(manifest_digest)) return std::nullopt;
  Image img = load_image(manifest_digest);
  img.repo_tags = index.refs_of(manifest_digest);
  return img;
}

Image Store::resolve(const std::string& ref) const {
  auto img = find(ref);
  if (!img) throw NotFound("No such image: " + ref);
  return *img;
}

std::vector<Image> Store::list() const {
  auto index = ImageIndex::read(paths_.images() / "index.json");
  std::vector<Image> out;
  for (const auto& digest : index.images()) {
    // One damaged image must not hide the others: it is reported and skipped.
    try {
      out.push_back(load_image(digest));
    } catch (const Error& e) {
      spdlog::warn("image store: skipping {}: {}", digest, e.what());
      continue;
    }
    out.back().repo_tags = index.refs_of(digest);
    out.back().intermediate =
        out.back().repo_tags.empty() &&
        std::any_of(index.entries().begin(), index.entries().end(),
                    [&](const IndexEntry& e) { return e.digest == digest && e.intermediate; });
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Image& a, const Image& b) { return a.created > b.created; });
  return out;
}

Image Store::add_image(const std::string& manifest_digest, const std::vector<Reference>& tags,
                       bool intermediate) {
  Image img = load_image(manifest_digest);  // checks the manifest and config are stored
  IndexEntry entry;
  entry.digest = manifest_digest;
  entry.media_type = img.manifest.value("mediaType", "application/vnd.oci.image.manifest.v1+json");
  entry.size = static_cast<int64_t>(read_blob(manifest_digest).size());
  entry.intermediate = intermediate;
  paths_.ensure();
  FileLock lock(paths_.locks() / "images.lock");
  auto path = paths_.images() / "index.json";
  auto index = ImageIndex::read(path);
  index.add_untagged(entry);
  for (const auto& t : tags) index.set_ref(entry, t.str());
  index.write(path);
  img.repo_tags = index.refs_of(manifest_digest);
  return img;
}

void Store::tag(const Image& img, const Reference& tag) {
  paths_.ensure();
  FileLock lock(paths_.locks() / "images.lock");
  auto path = paths_.images() / "index.json";
  auto index = ImageIndex::read(path);
  IndexEntry entry;
  for (const auto& e : index.entries())
    if (e.digest == img.manifest_digest) entry = e;
  if (entry.digest.empty()) throw NotFound("No such image: " + img.id);
  index.set_ref(entry, tag.str());
  index.write(path);
}

bool Store::untag(const Reference& tag) {
  paths_.ensure();
  FileLock lock(paths_.locks() / "images.lock");
  auto path = paths_.images() / "index.json";
  auto index = ImageIndex::read(path);
  if (!index.remove_ref(tag.str())) return false;
  index.write(path);
  return true;
}

void Store::remove(const Image& img) {
  {
    paths_.ensure();
    FileLock lock(paths_.locks() / "images.lock");
    auto path = paths_.images() / "index.json";
    auto index = ImageIndex::read(path);
    index.remove_image(img.manifest_digest);
    index.write(path);
  }
  collect_garbage();
}

}  // namespace berth::engine::image
