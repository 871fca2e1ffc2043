#include "common/crypto_lib.h"

#include "common/error.h"
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

std::string hex_string(const unsigned char* bytes, size_t n) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * n);
  for (size_t i = 0; i < n; ++i) {
    out += kHex[bytes[i] >> 4];
    out += kHex[bytes[i] & 15];
  }
  return out;
}

std::string sha256_hex(std::string_view data) {
  const CryptoLib& lib = crypto_lib();
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (lib.EVP_Digest(data.data(), data.size(), md, &len, lib.EVP_sha256(), nullptr) != 1)
    throw Error("sha256: digest failed");
  return hex_string(md, len);
}

}  // namespace berth
