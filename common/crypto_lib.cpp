#include "common/crypto_lib.h"

#include <dlfcn.h>

#include <mutex>
#include <string>

#include "common/error.h"

namespace berth {

namespace {

constexpr const char* kSoname = "libcrypto.so.3";

CryptoLib load() {
  // RTLD_NODELETE: the functions stay valid for the process lifetime; never dlclose'd.
  void* handle = ::dlopen(kSoname, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
  if (!handle) {
    const char* why = ::dlerror();
    throw Error(std::string("load ") + kSoname + ": " + (why ? why : "unknown error") +
                " (install libssl3)");
  }
  CryptoLib lib;
#define BERTH_CRYPTO_RESOLVE(name)                                         \
  lib.name = reinterpret_cast<decltype(lib.name)>(::dlsym(handle, #name)); \
  if (!lib.name) throw Error(std::string(kSoname) + ": missing function " #name);
  BERTH_CRYPTO_FUNCTIONS(BERTH_CRYPTO_RESOLVE)
#undef BERTH_CRYPTO_RESOLVE
  return lib;
}

}  // namespace

const CryptoLib& crypto_lib() {
  static CryptoLib lib;
  static std::once_flag once;
  std::call_once(once, [] { lib = load(); });
  return lib;
}

}  // namespace berth
