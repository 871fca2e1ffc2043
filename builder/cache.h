// The layer cache: each build step's inputs, hashed into a chain key (the step before it, the
// instruction as expanded, the args it sees, the content of what it copies), map to the image
// that step made. One file per key under <root>/build/cache/, written by rename, so concurrent
// builds need no lock; a key whose image is gone is a miss. The images themselves are in the
// store (intermediate images), which keeps their layers from garbage collection.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/paths.h"

namespace berth::builder {

// sha256 hex of parent + "\n" + step: the key of a step after the step keyed parent.
std::string chain_key(std::string_view parent, std::string_view step);

class BuildCache {
 public:
  explicit BuildCache(const Paths& paths);
  // The manifest digest stored for key, if any.
  std::optional<std::string> lookup(const std::string& key) const;
  void store(const std::string& key, const std::string& manifest_digest) const;
  // Removes every entry (`builder prune`).
  void clear() const;

 private:
  std::filesystem::path dir_;
};

}  // namespace berth::builder
