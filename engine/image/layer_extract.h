// The in-root layer extractor (ARCHITECTURE.md §6): one tar layer becomes one overlayfs
// lowerdir. Every path is resolved from an fd of the layer directory, one component at a
// time with O_NOFOLLOW, so nothing can be written outside it; entries with "..", paths
// through a symlink, hardlinks to outside targets and malformed whiteouts are refused, and
// any refusal fails the whole layer. Symlinks are stored as they are, whatever their target
// (containerd does the same): nothing here follows one, and in a container the kernel
// resolves them inside its root. OCI whiteouts become overlayfs whiteouts:
// ".wh.NAME" → a 0:0 character device NAME; ".wh..wh..opq" → trusted.overlay.opaque=y.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "engine/image/layer_stream.h"

namespace berth::engine::image {

struct ExtractResult {
  std::string diff_id;  // "sha256:<hex>" of the uncompressed tar
  int64_t size = 0;     // bytes of regular files (each hardlinked file counted once)
  Compression compression = Compression::kNone;
};

// Extracts the layer read from fd into dir, an existing directory owned by the caller
// (normally empty, made for this call). Ownership, modes, mtimes, xattrs, hardlinks,
// symlinks and device nodes are kept. Throws Error ("layer entry `NAME`: why"); the
// caller then removes dir, which may hold part of the layer. Reads only fd and writes only
// below dir, so a fuzzer can call it on any bytes.
ExtractResult extract_layer(int fd, const std::filesystem::path& dir);

struct TarOwner {
  uid_t uid = 0;
  gid_t gid = 0;
};

struct CopyInOptions {
  // Every entry's owner instead of the one the tar records (`ADD --chown`).
  std::optional<TarOwner> owner;
  // Accept a bzip2-compressed tar too (ADD; see LayerStream).
  bool bzip2 = false;
};

// `cp - CONTAINER:DIR` and `ADD archive DIR`: extracts the tar (any compression) read from fd
// into the directory open at dirfd (the caller's; already resolved in the container's or
// image's root), with the same rules as layers: no "..", no absolute escape, no path through
// a symlink, no symlink or hardlink leaving dirfd's tree. ".wh." names are ordinary files
// here. Returns the bytes of regular files written. Throws Error at the first refused entry
// (entries before it stay).
int64_t extract_tar_at(int fd, int dirfd, const CopyInOptions& options = {});

}  // namespace berth::engine::image
