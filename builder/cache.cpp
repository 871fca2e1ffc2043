#include "builder/cache.h"

#include <system_error>

#include "common/atomic_file.h"
#include "common/error.h"
#include "engine/image/digest.h"

namespace berth::builder {

namespace img = berth::engine::image;

std::string chain_key(std::string_view parent, std::string_view step) {
  img::Sha256 h;
  h.update(parent);
  h.update("\n");
  h.update(step);
  return img::digest_hex(h.digest());
}

BuildCache::BuildCache(const Paths& paths) : dir_(paths.build_cache() / "cache") {}

std::optional<std::string> BuildCache::lookup(const std::string& key) const {
  auto text = read_file_if_exists(dir_ / key);
  if (!text || !img::is_sha256_digest(*text)) return std::nullopt;
  return text;
}

void BuildCache::store(const std::string& key, const std::string& manifest_digest) const {
  make_dirs(dir_);
  // Not fsync'd: after a crash an entry may be lost or empty, which is a miss (lookup checks
  // it), and the images it names are in the store's durable index either way.
  write_file_atomic(dir_ / key, manifest_digest, 0600, false);
}

void BuildCache::clear() const {
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
  if (ec) throw Error("remove `" + dir_.string() + "`: " + ec.message());
}

}  // namespace berth::builder
