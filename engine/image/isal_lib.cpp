#include "engine/image/isal_lib.h"

#include <spdlog/spdlog.h>

#include <cstdlib>
#include <cstring>

#include "common/error.h"
#include "common/shared_lib.h"

namespace berth::engine::image {

namespace {

constexpr const char* kSoname = "libisal.so.2";

// All null when the library is missing: gzip then goes through libarchive, as before.
IsalLib load() {
  IsalLib lib;
  try {
    void* handle = open_shared_library(kSoname, "libisal2");
#define BERTH_ISAL_RESOLVE(name) BERTH_RESOLVE_FUNCTION(lib, handle, kSoname, name)
    BERTH_ISAL_FUNCTIONS(BERTH_ISAL_RESOLVE)
#undef BERTH_ISAL_RESOLVE
  } catch (const Error& e) {
    spdlog::debug("gzip through libarchive: {}", e.what());
    lib = IsalLib{};
  }
  return lib;
}

}  // namespace

const IsalLib* isal_lib() {
  const char* off = std::getenv("BERTH_NO_ISAL");
  if (off && std::strcmp(off, "1") == 0) return nullptr;
  const IsalLib& lib = load_once(&load);
  return lib.isal_inflate ? &lib : nullptr;
}

}  // namespace berth::engine::image
