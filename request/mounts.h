// A container's mounts as typed entries, and the one parser of each mount syntax, used by the
// command line and by compose (pure: no file system access):
//   -v / volumes: NAME:/dst[:MODES]   named volume     /host:/dst[:MODES]   bind (also ./rel, ~/x)
//                 /dst                anonymous volume  MODES: ro rw z Z nocopy propagation
//                 consistency
//   --mount type=volume|bind|tmpfs,source=…,target=…,readonly,volume-nocopy,
//           bind-propagation=…,tmpfs-size=…,tmpfs-mode=…
//   --tmpfs / tmpfs: /dst[:size=64m,mode=1777,noexec,…]
// Errors are std::invalid_argument worded as Docker's ("invalid mount config for type ...");
// the caller names the flag or the file, line and key.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace berth::request {

struct MountRequest {
  enum class Type { kVolume, kBind, kTmpfs };
  Type type = Type::kVolume;
  std::string source;  // volume name ("" = anonymous) or host path (relative or ~/ as written
                       // in -v and volumes:, for the front end to resolve; absolute for the engine)
  std::string target;  // absolute, cleaned
  bool readonly = false;
  bool nocopy = false;
  std::string propagation;  // bind only; "" = rprivate
  std::string selinux;      // bind: "z" or "Z" as asked (no SELinux here: kept, not applied)
  std::string consistency;  // consistent, cached, delegated (macOS only: kept, not applied)
  std::string mode;         // Docker's "Mode" in inspect (-v's option string, "z" by default)
  bool from_v = false;      // -v (creates a missing bind source) vs --mount (refuses it)
  std::string tmpfs_data;   // mount(2) data ("size=65536k,mode=1777")
  unsigned long tmpfs_flags = 0;
  bool operator==(const MountRequest&) const = default;
};

MountRequest parse_volume_spec(const std::string& spec);  // -v, compose's short `volumes:`
MountRequest parse_mount_spec(const std::string& spec);   // --mount
MountRequest parse_tmpfs_spec(const std::string& spec);   // --tmpfs, compose's `tmpfs:`

// --volumes-from / volumes_from: another container's mounts, read-only or as they are.
struct VolumesFrom {
  std::string container;
  std::optional<bool> read_only;  // nullopt: each mount's own mode
  bool operator==(const VolumesFrom&) const = default;
};

// A tmpfs as `--mount type=tmpfs,tmpfs-size=SIZE,tmpfs-mode=MODE` makes it (nosuid, nodev;
// size 0 and mode 0 leave the kernel's and Docker's defaults), for compose's long form.
MountRequest tmpfs_mount(const std::string& target, int64_t size, uint32_t mode, bool read_only);

// "CONTAINER[:ro|rw]". Throws std::invalid_argument.
VolumesFrom parse_volumes_from(const std::string& spec);

// True for a -v / volumes: source that is a host path rather than a volume name.
bool is_host_path(const std::string& source);

// "/a//b/../c/" → "/a/c" (lexical). Throws std::invalid_argument when `path` is not absolute.
std::string clean_absolute(const std::string& path, const std::string& what);

// Docker's local volume names: [a-zA-Z0-9][a-zA-Z0-9_.-]+
bool valid_volume_name(const std::string& name);

}  // namespace berth::request
