// OpenSSL's libcrypto, loaded with dlopen on first use, for SHA-256 (image digests, compose
// config hashes). Linked statically, its constructor (OPENSSL_cpuid_setup: a series of cpuid
// instructions, each a trap to the hypervisor on a paravirtualised guest) ran at every exec
// of `berth`, hashing or not: ~0.5 ms of every `run`, `exec` and `ps`. Only the functions
// listed in BERTH_CRYPTO_FUNCTIONS are resolved; the header's declarations give their types.
#pragma once

#include <openssl/evp.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace berth {

#define BERTH_CRYPTO_FUNCTIONS(X) \
  X(EVP_MD_CTX_new)               \
  X(EVP_MD_CTX_free)              \
  X(EVP_DigestInit_ex)            \
  X(EVP_DigestUpdate)             \
  X(EVP_DigestFinal_ex)           \
  X(EVP_Digest)                   \
  X(EVP_sha256)

// The resolved functions, named as in evp.h: `crypto_lib().EVP_sha256()`.
struct CryptoLib {
#define BERTH_CRYPTO_MEMBER(name) decltype(&::name) name = nullptr;
  BERTH_CRYPTO_FUNCTIONS(BERTH_CRYPTO_MEMBER)
#undef BERTH_CRYPTO_MEMBER
};

// Returns the library, loading "libcrypto.so.3" on the first call (thread-safe). Throws
// Error("load libcrypto.so.3: ... (install libssl3)") when it cannot be loaded or lacks a
// function.
const CryptoLib& crypto_lib();

// Lowercase hex of n bytes.
std::string hex_string(const unsigned char* bytes, size_t n);

// The 64 lowercase hex digits of data's SHA-256. Throws Error when libcrypto fails.
std::string sha256_hex(std::string_view data);

}  // namespace berth
