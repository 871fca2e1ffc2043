// Platforms as Docker names them ("linux/amd64", "linux/arm64/v8"): the host's, parsing
// `--platform`, and choosing one manifest of a manifest list / OCI index. Pure logic.
#pragma once

#include <string>

namespace berth::registry {

struct Platform {
  std::string os = "linux", arch, variant;
  std::string str() const;
};

// The host's platform: linux/amd64, linux/arm64/v8, ...
Platform host_platform();
// "os/arch[/variant]" or "arch" (x86_64 → amd64, aarch64 → arm64). Throws
// Error("invalid platform ...").
Platform parse_platform(const std::string& s);

// The digest of the manifest for want in an index / manifest list (its JSON bytes), as
// containerd's platform matcher picks it: same os and architecture; the variant must match
// when want names one (arm64's missing variant is v8). shown names the image in errors.
// Throws NotFound("no matching manifest for linux/amd64 in the manifest list entries of X"),
// Error for a malformed list.
std::string select_manifest(const std::string& index_json, const Platform& want,
                            const std::string& shown);

}  // namespace berth::registry
