// Image references as Docker spells them (distribution/reference "familiar" form):
// "busybox" == "busybox:latest" == "docker.io/library/busybox:latest"; "foo/bar:1",
// "localhost:5000/x:y", "name@sha256:<hex>". Pure logic, used by the store and the CLI.
#pragma once

#include <optional>
#include <string>

namespace berth::engine::image {

struct Reference {
  std::string name;    // familiar repository name: "busybox", "foo/bar", "quay.io/a/b"
  std::string tag;     // "latest" when neither tag nor digest was given; may be empty
  std::string digest;  // "sha256:<hex>" or empty

  // "name:tag", or "name@digest" when there is no tag.
  std::string str() const;
  // The fully qualified name: "docker.io/library/busybox" for "busybox".
  std::string full_name() const;
};

// Parses and normalises s. Throws Error("invalid reference format: ...") when s is not a
// valid reference (uppercase repository, empty component, bad tag ...).
Reference parse_reference(const std::string& s);

// Like parse_reference, but nullopt instead of throwing.
std::optional<Reference> try_parse_reference(const std::string& s);

}  // namespace berth::engine::image
