// Parsing of Docker's mount flags into MountRequest (pure: no file system access).
//   -v NAME:/dst[:ro|rw][,nocopy]   named volume     -v /host:/dst[:ro|rw]   bind
//   -v /dst                         anonymous volume
//   --mount type=volume|bind|tmpfs,source=…,target=…,readonly,volume-nocopy,
//           bind-propagation=…,tmpfs-size=…,tmpfs-mode=…
//   --tmpfs /dst[:size=64m,mode=1777,noexec,…]
// Errors are Error(125) worded as Docker's ("invalid mount config for type ...").
#pragma once

#include <string>

namespace berth::volumes {

struct MountRequest {
  enum class Type { kVolume, kBind, kTmpfs };
  Type type = Type::kVolume;
  std::string source;  // volume name ("" = anonymous) or absolute host path
  std::string target;  // absolute, cleaned
  bool readonly = false;
  bool nocopy = false;
  std::string propagation;  // bind only; "" = rprivate
  std::string mode;         // Docker's "Mode" in inspect (-v's option string, "z" by default)
  bool from_v = false;      // -v (creates a missing bind source) vs --mount (refuses it)
  std::string tmpfs_data;   // mount(2) data ("size=65536k,mode=1777")
  unsigned long tmpfs_flags = 0;
};

MountRequest parse_volume_flag(const std::string& spec);  // -v
MountRequest parse_mount_flag(const std::string& spec);   // --mount
MountRequest parse_tmpfs_flag(const std::string& spec);   // --tmpfs

// "/a//b/../c/" → "/a/c" (lexical). Throws Error(125) when `path` is not absolute.
std::string clean_absolute(const std::string& path, const std::string& what);

// Docker's local volume names: [a-zA-Z0-9][a-zA-Z0-9_.-]+
bool valid_volume_name(const std::string& name);

}  // namespace berth::volumes
