#include "engine/image/archive_lib.h"

#include <dlfcn.h>

#include <mutex>

#include "common/error.h"

namespace berth::engine::image {

namespace {

constexpr const char* kSoname = "libarchive.so.13";

ArchiveLib load() {
  // RTLD_NODELETE: the functions stay valid for the process lifetime; never dlclose'd.
  void* handle = ::dlopen(kSoname, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
  if (!handle) {
    const char* why = ::dlerror();
    throw Error(std::string("load ") + kSoname + ": " + (why ? why : "unknown error") +
                " (install libarchive13)");
  }
  ArchiveLib lib;
#define BERTH_ARCHIVE_RESOLVE(name)                                        \
  lib.name = reinterpret_cast<decltype(lib.name)>(::dlsym(handle, #name)); \
  if (!lib.name) throw Error(std::string(kSoname) + ": missing function " #name);
  BERTH_ARCHIVE_FUNCTIONS(BERTH_ARCHIVE_RESOLVE)
#undef BERTH_ARCHIVE_RESOLVE
  return lib;
}

}  // namespace

const ArchiveLib& archive_lib() {
  static ArchiveLib lib;
  static std::once_flag once;
  std::call_once(once, [] { lib = load(); });
  return lib;
}

std::string archive_error(struct archive* a) {
  const char* s = a ? archive_lib().archive_error_string(a) : nullptr;
  return s ? s : "unknown error";
}

}  // namespace berth::engine::image
