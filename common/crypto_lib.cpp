#include "common/crypto_lib.h"

#include "common/shared_lib.h"

namespace berth {

namespace {

constexpr const char* kSoname = "libcrypto.so.3";

CryptoLib load() {
  void* handle = open_shared_library(kSoname, "libssl3");
  CryptoLib lib;
#define BERTH_CRYPTO_RESOLVE(name) BERTH_RESOLVE_FUNCTION(lib, handle, kSoname, name)
  BERTH_CRYPTO_FUNCTIONS(BERTH_CRYPTO_RESOLVE)
#undef BERTH_CRYPTO_RESOLVE
  return lib;
}

}  // namespace

const CryptoLib& crypto_lib() {
  return load_once(&load);
}

}  // namespace berth
