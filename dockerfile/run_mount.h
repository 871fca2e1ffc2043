// RUN --mount=type=cache|secret|bind|tmpfs|ssh,... as BuildKit defines it
// (frontend/dockerfile/instructions/commands_runmount.go): a CSV list of key=value fields,
// validated per type. Values may hold build variables: the typed layer parses the spec as
// written, and the builder parses it again with an expander once ARG/ENV are known.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace berth::dockerfile {

enum class MountType { kBind, kCache, kTmpfs, kSecret, kSsh };
enum class MountSharing { kShared, kPrivate, kLocked };

std::string_view mount_type_name(MountType t);

struct RunMount {
  MountType type = MountType::kBind;
  std::string from;       // stage, image or context (bind, cache)
  std::string source;     // path in `from`; for secret/ssh, the id when id= is absent
  std::string target;     // path in the container (secrets default to /run/secrets/<id>)
  bool readonly = true;   // bind/secret/ssh default read-only; cache/tmpfs read-write
  bool required = false;  // secret, ssh
  std::string id;         // cache id, secret id, ssh id
  std::string env;        // secret: also exposed as this environment variable
  std::optional<MountSharing> sharing;     // cache
  std::optional<uint32_t> mode, uid, gid;  // cache, secret, ssh
  std::optional<int64_t> size;             // tmpfs, bytes
};

// Expands a value with the build's variables (ShellLex::process_word).
using Expander = std::function<std::string(std::string_view)>;

// Parses one --mount value. Without an expander, a value holding `$` is left for later:
// stored as written for paths and ids, not validated for the typed keys (and `from` rejects
// it, as BuildKit: "'from' doesn't support variable expansion, define alias stage instead").
// Throws berth::Error with BuildKit's messages.
RunMount parse_run_mount(std::string_view spec, const Expander* expand = nullptr);

}  // namespace berth::dockerfile
