#include "registry/blob_sources.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <sstream>

#include "common/atomic_file.h"
#include "common/error.h"
#include "engine/image/digest.h"

namespace berth::registry {

namespace {

std::filesystem::path sources_file(const engine::image::Store& store, const std::string& digest) {
  return store.paths().images() / "sources" / engine::image::digest_hex(digest);
}

}  // namespace

std::vector<std::string> blob_sources(const engine::image::Store& store,
                                      const std::string& digest) {
  std::vector<std::string> out;
  auto text = read_file_if_exists(sources_file(store, digest));
  if (!text) return out;
  std::istringstream in(*text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(line);
  return out;
}

void record_blob_sources(const engine::image::Store& store, const std::vector<std::string>& digests,
                         const std::string& repository) {
  for (const auto& d : digests) {
    try {
      auto have = blob_sources(store, d);
      if (!have.empty() && have.back() == repository) continue;
      have.erase(std::remove(have.begin(), have.end(), repository), have.end());
      have.push_back(repository);
      if (have.size() > 16) have.erase(have.begin(), have.end() - 16);
      std::string text;
      for (const auto& r : have) text += r + "\n";
      auto path = sources_file(store, d);
      make_dirs(path.parent_path());
      write_file_atomic(path, text, 0644, false);
    } catch (const Error& e) {
      spdlog::debug("record sources of {}: {}", d, e.what());
    }
  }
}

}  // namespace berth::registry
