// The Store's unpacked layers (layers/<chainid>) and its garbage collection.
#include <fcntl.h>
#include <unistd.h>

#include <set>

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/random_id.h"
#include "engine/image/digest.h"
#include "engine/image/image_index.h"
#include "engine/image/layer_extract.h"
#include "engine/image/layer_stream.h"
#include "engine/image/store.h"

namespace berth::engine::image {

namespace fs = std::filesystem;

fs::path Store::layer_dir(const std::string& chain_id) const {
  return paths_.layers() / digest_hex(validate_digest(chain_id));
}

std::vector<fs::path> Store::layer_dirs(const Image& img) const {
  std::vector<fs::path> out;
  for (const auto& c : img.chain_ids) {
    fs::path d = layer_dir(c) / "diff";
    if (!fs::is_directory(d))
      throw Error("image " + img.id.substr(7, 12) + ": layer " + c + " is not unpacked");
    out.push_back(std::move(d));
  }
  return out;
}

namespace {

std::string chain_of(const std::string& parent, const std::string& diff_id) {
  return parent.empty() ? diff_id : sha256_digest(parent + " " + diff_id);
}

// A staging directory below layers/.tmp, removed unless published.
struct Staging {
  fs::path dir;
  explicit Staging(const fs::path& layers) {
    make_dirs(layers / ".tmp");
    dir = layers / ".tmp" / random_hex(16);
    make_dirs(dir);
    if (::mkdir((dir / "diff").c_str(), 0755) < 0) throw_errno("mkdir", dir.string(), errno);
  }
  ~Staging() {
    std::error_code ec;
    if (!dir.empty()) fs::remove_all(dir, ec);
  }
};

}  // namespace

LayerInfo Store::unpack_layer(const std::string& blob_digest, const std::string& parent_chain,
                              const std::string& expected_diff_id) {
  sys::UniqueFd fd(::open(blob_path(blob_digest).c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) throw_errno("open layer blob", blob_digest, errno);
  return unpack_layer_fd(fd.get(), blob_digest, parent_chain, expected_diff_id);
}

LayerInfo Store::unpack_layer_fd(int fd, const std::string& name, const std::string& parent_chain,
                                 const std::string& expected_diff_id,
                                 const std::function<bool()>& publish) {
  // Both name files (layers/<chain>, locks/layer-<chain>.lock): checked before any path is
  // made from them, whoever the caller.
  try {
    if (!parent_chain.empty()) validate_digest(parent_chain);
    if (!expected_diff_id.empty()) validate_digest(expected_diff_id);
  } catch (const Error& e) {
    throw e.with_context("layer " + name);
  }
  paths_.ensure();
  make_dirs(paths_.layers());
  std::optional<FileLock> lock;
  if (!expected_diff_id.empty()) {
    // The chain is known up front: one extraction per chain, however many loads race.
    std::string chain = chain_of(parent_chain, expected_diff_id);
    lock.emplace(paths_.locks() / ("layer-" + digest_hex(chain) + ".lock"));
    if (auto meta = read_file_if_exists(layer_dir(chain) / "meta.json")) {
      // Already unpacked, but the blob must still be the layer the config names.
      if (std::string actual = layer_diff_id(fd); actual != expected_diff_id)
        throw Error("layer " + name + ": content has diff ID " + actual +
                    ", the image config says " + expected_diff_id);
      auto j = nlohmann::json::parse(*meta, nullptr, false);
      return {chain, expected_diff_id, j.is_object() ? j.value("size", int64_t{0}) : 0};
    }
  }
  Staging staging(paths_.layers());
  ExtractResult r = extract_layer(fd, staging.dir / "diff");
  if (!expected_diff_id.empty() && r.diff_id != expected_diff_id)
    throw Error("layer " + name + ": content has diff ID " + r.diff_id +
                ", the image config says " + expected_diff_id);
  LayerInfo info{chain_of(parent_chain, r.diff_id), r.diff_id, r.size};
  nlohmann::json meta = {{"diff_id", info.diff_id}, {"parent", parent_chain}, {"size", r.size}};
  write_file_atomic(staging.dir / "meta.json", meta.dump() + "\n", 0600);
  if (publish && !publish()) throw Error("layer " + name + ": not kept (its blob was refused)");
  if (!lock) lock.emplace(paths_.locks() / ("layer-" + digest_hex(info.chain_id) + ".lock"));
  fs::path target = layer_dir(info.chain_id);
  if (fs::exists(target / "meta.json")) return info;  // made by a concurrent import
  if (::rename(staging.dir.c_str(), target.c_str()) < 0) {
    if (errno == ENOTEMPTY || errno == EEXIST) return info;
    throw_errno("rename", target.string(), errno);
  }
  staging.dir.clear();
  return info;
}

void Store::collect_garbage() {
  paths_.ensure();
  FileLock gc(paths_.locks() / "images-gc.lock", FileLock::Mode::kExclusive);
  FileLock lock(paths_.locks() / "images.lock");
  std::set<std::string> blobs, layers;
  auto index = ImageIndex::read(paths_.images() / "index.json");
  for (const auto& digest : index.images()) {
    Image img = load_image(digest);
    blobs.insert(digest_hex(digest));
    blobs.insert(digest_hex(img.id));
    for (const auto& l : img.manifest.value("layers", nlohmann::json::array()))
      blobs.insert(digest_hex(l.value("digest", "")));
    for (const auto& c : img.chain_ids) layers.insert(digest_hex(c));
  }
  std::error_code ec;
  // No writer holds the content lock now: temp files are leftovers of interrupted runs.
  fs::remove_all(paths_.images() / "tmp", ec);
  fs::remove_all(paths_.layers() / ".tmp", ec);
  for (const auto& e : fs::directory_iterator(paths_.images() / "blobs" / "sha256", ec))
    if (!blobs.count(e.path().filename().string())) fs::remove(e.path(), ec);
  std::vector<std::string> doomed_layers;
  for (const auto& e : fs::directory_iterator(paths_.layers(), ec)) {
    std::string name = e.path().filename().string();
    if (name.size() == 64 && !layers.count(name)) doomed_layers.push_back(name);
  }
  for (const auto& name : doomed_layers) {
    // Renamed away first, so a crash never leaves a half-deleted layer under its name.
    make_dirs(paths_.layers() / ".tmp");
    fs::path doomed = paths_.layers() / ".tmp" / ("del-" + name);
    if (::rename((paths_.layers() / name).c_str(), doomed.c_str()) == 0) fs::remove_all(doomed, ec);
  }
}

}  // namespace berth::engine::image
