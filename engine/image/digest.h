// Content digests (OCI image spec "Digests"): "sha256:<64 hex>". Sha256 hashes a stream
// incrementally (OpenSSL EVP, loaded on first use: common/crypto_lib.h); chain IDs follow the OCI
// image spec
// ("ChainID(L0|L1) = sha256(ChainID(L0) + " " + DiffID(L1))"). Used by the whole store.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace berth::engine::image {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(const void* data, size_t len);
  void update(std::string_view s) { update(s.data(), s.size()); }
  // "sha256:<hex>"; the object cannot be updated afterwards.
  std::string digest();

 private:
  struct Ctx;
  std::unique_ptr<Ctx> ctx_;
};

// "sha256:<hex>" of data.
std::string sha256_digest(std::string_view data);

// True when s is "sha256:" followed by exactly 64 lowercase hex digits.
bool is_sha256_digest(std::string_view s);

// Checks a digest read from untrusted input (an image's config, manifest or index, a
// reference) before it names a file or is compared, with go-digest's messages: throws
// Error("invalid checksum digest format") for a malformed one,
// Error("unsupported digest algorithm") for a well-formed one berth cannot verify (only
// sha256 is supported), Error("invalid checksum digest length") for sha256 with the wrong
// number of hex digits. Returns d when it is "sha256:" + 64 lowercase hex.
const std::string& validate_digest(const std::string& d);

// True when s is 1..64 lowercase hex digits.
bool is_hex(std::string_view s);

// The 64 hex digits of a "sha256:<hex>" digest (s itself when it has no prefix).
std::string digest_hex(std::string_view digest);

// Chain IDs for diff_ids (lowest layer first); result[i] identifies layers 0..i.
std::vector<std::string> chain_ids(const std::vector<std::string>& diff_ids);

}  // namespace berth::engine::image
