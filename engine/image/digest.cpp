#include "engine/image/digest.h"

#include "common/crypto_lib.h"
#include "common/error.h"

namespace berth::engine::image {

struct Sha256::Ctx {
  EVP_MD_CTX* md = nullptr;
  ~Ctx() {
    if (md) crypto_lib().EVP_MD_CTX_free(md);
  }
};

Sha256::Sha256() : ctx_(std::make_unique<Ctx>()) {
  const CryptoLib& lib = crypto_lib();
  ctx_->md = lib.EVP_MD_CTX_new();
  if (!ctx_->md || lib.EVP_DigestInit_ex(ctx_->md, lib.EVP_sha256(), nullptr) != 1)
    throw Error("sha256: cannot initialise OpenSSL digest");
}

Sha256::~Sha256() = default;

void Sha256::update(const void* data, size_t len) {
  if (len > 0 && crypto_lib().EVP_DigestUpdate(ctx_->md, data, len) != 1)
    throw Error("sha256: update failed");
}

std::string Sha256::digest() {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (crypto_lib().EVP_DigestFinal_ex(ctx_->md, md, &len) != 1) throw Error("sha256: final failed");
  return "sha256:" + hex_string(md, len);
}

std::string sha256_digest(std::string_view data) {
  return "sha256:" + sha256_hex(data);
}

bool is_hex(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

bool is_sha256_digest(std::string_view s) {
  return s.size() == 71 && s.substr(0, 7) == "sha256:" && is_hex(s.substr(7));
}

namespace {

bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// go-digest's DigestRegexp: [a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+, the shape of
// any algorithm's digest, known or not.
bool digest_shaped(std::string_view algorithm, std::string_view encoded) {
  auto lower_alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  bool after_sep = true;
  for (char c : algorithm) {
    if (lower_alnum(c)) {
      after_sep = false;
    } else if ((c == '.' || c == '+' || c == '_' || c == '-') && !after_sep) {
      after_sep = true;
    } else {
      return false;
    }
  }
  if (after_sep || encoded.empty()) return false;
  for (char c : encoded)
    if (!(is_alpha(c) || (c >= '0' && c <= '9') || c == '=' || c == '_' || c == '-')) return false;
  return true;
}

}  // namespace

const std::string& validate_digest(const std::string& d) {
  auto colon = d.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == d.size())
    throw Error("invalid checksum digest format");
  std::string_view algorithm = std::string_view(d).substr(0, colon);
  std::string_view encoded = std::string_view(d).substr(colon + 1);
  if (algorithm != "sha256") {
    if (!digest_shaped(algorithm, encoded)) throw Error("invalid checksum digest format");
    throw Error("unsupported digest algorithm");
  }
  if (encoded.size() != 64) throw Error("invalid checksum digest length");
  if (!is_hex(encoded)) throw Error("invalid checksum digest format");
  return d;
}

std::string digest_hex(std::string_view digest) {
  if (digest.substr(0, 7) == "sha256:") digest.remove_prefix(7);
  return std::string(digest);
}

std::vector<std::string> chain_ids(const std::vector<std::string>& diff_ids) {
  std::vector<std::string> out;
  for (const auto& d : diff_ids) {
    out.push_back(out.empty() ? d : sha256_digest(out.back() + " " + d));
  }
  return out;
}

}  // namespace berth::engine::image
