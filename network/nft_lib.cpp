#include "network/nft_lib.h"

#include <nftables/libnftables.h>

#include "common/error.h"
#include "common/shared_lib.h"

namespace berth::network {

namespace {

constexpr const char* kSoname = "libnftables.so.1";

#define BERTH_NFT_FUNCTIONS(X) \
  X(nft_ctx_new)               \
  X(nft_ctx_free)              \
  X(nft_ctx_buffer_output)     \
  X(nft_ctx_buffer_error)      \
  X(nft_ctx_get_output_buffer) \
  X(nft_ctx_get_error_buffer)  \
  X(nft_ctx_output_get_flags)  \
  X(nft_ctx_output_set_flags)  \
  X(nft_run_cmd_from_buffer)

struct NftLib {
#define BERTH_NFT_MEMBER(name) decltype(&::name) name = nullptr;
  BERTH_NFT_FUNCTIONS(BERTH_NFT_MEMBER)
#undef BERTH_NFT_MEMBER
};

NftLib load() {
  void* handle = open_shared_library(kSoname, "libnftables1");
  NftLib lib;
#define BERTH_NFT_RESOLVE(name) BERTH_RESOLVE_FUNCTION(lib, handle, kSoname, name)
  BERTH_NFT_FUNCTIONS(BERTH_NFT_RESOLVE)
#undef BERTH_NFT_RESOLVE
  return lib;
}

const NftLib& nft_lib() {
  return load_once(&load);
}

// nft's error buffer repeats the offending script line and a caret line under it; the
// first line is the message, the rest helps only with the script at hand.
std::string error_text(const char* buf) {
  std::string s = buf ? buf : "";
  s = s.substr(0, s.find('\n'));
  // "/dev/stdin:2:41-55: Error: ..." or "Error: ...": keep from "Error:" on.
  if (size_t at = s.find("Error: "); at != std::string::npos) s = s.substr(at + 7);
  if (s.empty()) return "nft: unknown error";
  return "nft: " + s;
}

}  // namespace

Nft::Nft() {
  const auto& lib = nft_lib();
  ctx_ = lib.nft_ctx_new(NFT_CTX_DEFAULT);
  if (!ctx_) throw Error("nft_ctx_new: out of memory");
  if (lib.nft_ctx_buffer_output(ctx_) != 0 || lib.nft_ctx_buffer_error(ctx_) != 0) {
    lib.nft_ctx_free(ctx_);
    throw Error("nft: cannot buffer output");
  }
}

Nft::~Nft() {
  nft_lib().nft_ctx_free(ctx_);
}

std::string Nft::run(const std::string& script, bool json) {
  const auto& lib = nft_lib();
  unsigned flags = lib.nft_ctx_output_get_flags(ctx_);
  const unsigned want = NFT_CTX_OUTPUT_JSON | NFT_CTX_OUTPUT_HANDLE;
  lib.nft_ctx_output_set_flags(ctx_, json ? flags | want : flags & ~want);
  int rc = lib.nft_run_cmd_from_buffer(ctx_, script.c_str());
  std::string out = lib.nft_ctx_get_output_buffer(ctx_);
  std::string err = lib.nft_ctx_get_error_buffer(ctx_);
  if (rc != 0) throw Error(error_text(err.c_str()));
  return out;
}

bool nft_available() {
  // Once per process: a library that loads is not enough, the kernel must take nftables
  // commands too (no nf_tables module, or no permission to use it, makes it refuse).
  static const bool usable = [] {
    try {
      Nft().run("list tables");
      return true;
    } catch (const Error&) {
      return false;
    }
  }();
  return usable;
}

}  // namespace berth::network
