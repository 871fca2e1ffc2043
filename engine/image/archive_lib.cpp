#include "engine/image/archive_lib.h"

#include "common/shared_lib.h"

namespace berth::engine::image {

namespace {

constexpr const char* kSoname = "libarchive.so.13";

ArchiveLib load() {
  void* handle = open_shared_library(kSoname, "libarchive13");
  ArchiveLib lib;
#define BERTH_ARCHIVE_RESOLVE(name) BERTH_RESOLVE_FUNCTION(lib, handle, kSoname, name)
  BERTH_ARCHIVE_FUNCTIONS(BERTH_ARCHIVE_RESOLVE)
#undef BERTH_ARCHIVE_RESOLVE
  return lib;
}

}  // namespace

const ArchiveLib& archive_lib() {
  return load_once(&load);
}

std::string archive_error(struct archive* a) {
  const char* s = a ? archive_lib().archive_error_string(a) : nullptr;
  return s ? s : "unknown error";
}

}  // namespace berth::engine::image
