// The pure rules of layer extraction (OCI image spec "Image Layer Filesystem Changeset"
// and Docker's breakout checks): how an entry name is normalised, which names are
// whiteouts, and which link targets leave the layer. The extractor applies them before
// touching the filesystem; unit tests cover them without root.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace berth::engine::image {

// Splits a tar entry name into components. A leading "/" is dropped (Docker reads
// "/etc/x" as "etc/x"), "." and empty components vanish. Throws Error naming the entry
// for a ".." component, a NUL byte or an empty name. An empty result is the layer root.
std::vector<std::string> entry_components(std::string_view name);

enum class WhiteoutKind {
  kNone,    // an ordinary entry
  kOpaque,  // ".wh..wh..opq": hide everything below the parent in lower layers
  kFile,    // ".wh.NAME": hide NAME in lower layers
  kMeta,    // other ".wh..wh." names (AUFS hardlink metadata): skipped, as Docker does
};

// Classifies a base name. For kFile, *target receives NAME. Throws Error for a whiteout
// that names nothing, ".", ".." or contains "/".
WhiteoutKind classify_whiteout(std::string_view base, std::string* target);

// True when a symlink at entry (components, see entry_components) whose target is
// `link` points outside the layer when resolved lexically from the symlink's directory.
// Absolute targets never escape: they are resolved inside the container's root.
bool symlink_escapes(const std::vector<std::string>& entry, std::string_view link);

// Resolves target lexically from the directory dir (components below the root): an
// absolute target starts at the root. nullopt when ".." would climb above the root.
std::optional<std::vector<std::string>> resolve_lexically(const std::vector<std::string>& dir,
                                                          std::string_view target);

// True for the extended attributes a layer may carry, both ways (the extractor sets them, the
// layer writer stores them): user.*, security.*, trusted.* and the POSIX ACLs, except
// trusted.overlay.*, which would steer overlayfs (redirects, metacopy, opaque directories
// are whiteouts' business only).
bool layer_xattr_allowed(std::string_view name);

// "a/b/c" from components ("." for the root).
std::string join_components(const std::vector<std::string>& parts);

}  // namespace berth::engine::image
