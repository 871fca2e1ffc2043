#include "request/mounts.h"

#include <sys/mount.h>

#include <cctype>
#include <cstdio>
#include <stdexcept>
#include <vector>

#include "common/csv.h"
#include "common/error.h"
#include "common/strings.h"

namespace berth::request {

namespace {

[[noreturn]] void invalid(const std::string& msg) {
  throw std::invalid_argument(msg);
}

bool is_propagation(const std::string& p) {
  return p == "private" || p == "rprivate" || p == "shared" || p == "rshared" || p == "slave" ||
         p == "rslave";
}

bool is_consistency(const std::string& c) {
  return c == "consistent" || c == "cached" || c == "delegated" || c == "default";
}

// -v's third field: "ro", "rw", "nocopy", propagation, SELinux z/Z, consistency,
// comma-separated.
void apply_v_options(MountRequest& r, const std::string& opts, const std::string& spec) {
  for (const auto& o : split(opts, ',')) {
    if (o == "ro") {
      r.readonly = true;
    } else if (o == "rw") {
      r.readonly = false;
    } else if (o == "nocopy" && r.type == MountRequest::Type::kVolume) {
      r.nocopy = true;
    } else if (is_propagation(o) && r.type == MountRequest::Type::kBind) {
      r.propagation = o;
    } else if (o == "z" || o == "Z") {
      r.selinux = o;
    } else if (is_consistency(o)) {
      r.consistency = o;
    } else {
      invalid("invalid mode: " + o + " (in " + spec + ")");
    }
  }
  r.mode = opts;
}

// Flags and data of a tmpfs from a comma list (mount(8) words and size=/mode=/... data).
void apply_tmpfs_options(MountRequest& r, const std::string& opts) {
  struct Flag {
    const char* word;
    unsigned long set, clear;
  };
  static const Flag kFlags[] = {
      {"ro", MS_RDONLY, 0},       {"rw", 0, MS_RDONLY},         {"noexec", MS_NOEXEC, 0},
      {"exec", 0, MS_NOEXEC},     {"nosuid", MS_NOSUID, 0},     {"suid", 0, MS_NOSUID},
      {"nodev", MS_NODEV, 0},     {"dev", 0, MS_NODEV},         {"noatime", MS_NOATIME, 0},
      {"atime", 0, MS_NOATIME},   {"relatime", MS_RELATIME, 0}, {"strictatime", MS_STRICTATIME, 0},
      {"sync", MS_SYNCHRONOUS, 0}};
  std::string data;
  bool has_mode = false;
  for (const auto& o : split(opts, ',')) {
    if (o.empty()) continue;
    bool known = false;
    for (const auto& f : kFlags) {
      if (o != f.word) continue;
      r.tmpfs_flags = (r.tmpfs_flags | f.set) & ~f.clear;
      known = true;
    }
    if (known) continue;
    const std::string key = o.substr(0, o.find('='));
    if (key != "size" && key != "mode" && key != "nr_inodes" && key != "nr_blocks" &&
        key != "uid" && key != "gid" && key != "huge" && key != "mpol")
      invalid("invalid tmpfs option \"" + o + "\"");
    has_mode = has_mode || key == "mode";
    data += (data.empty() ? "" : ",") + o;
  }
  if (!has_mode) data += std::string(data.empty() ? "" : ",") + "mode=1777";
  r.readonly = (r.tmpfs_flags & MS_RDONLY) != 0;
  r.tmpfs_flags &= ~static_cast<unsigned long>(MS_RDONLY);
  r.tmpfs_data = data;
}

// --mount's fields: one CSV record, as Docker's CLI reads it.
std::vector<std::string> mount_fields(const std::string& spec) {
  try {
    return split_csv_fields(spec);
  } catch (const Error& e) {
    invalid("invalid argument \"" + spec + "\" for \"--mount\" flag: " + e.what());
  }
}

}  // namespace

std::string clean_absolute(const std::string& path, const std::string& what) {
  if (path.empty() || path.front() != '/')
    invalid("invalid " + what + ": " + (path.empty() ? "\"\"" : path) +
            " (it must be an absolute path)");
  std::vector<std::string> parts;
  for (const auto& p : split(path, '/')) {
    if (p.empty() || p == ".") continue;
    if (p == "..") {
      if (!parts.empty()) parts.pop_back();
      continue;
    }
    parts.push_back(p);
  }
  std::string out;
  for (const auto& p : parts) out += "/" + p;
  return out.empty() ? "/" : out;
}

bool valid_volume_name(const std::string& name) {
  if (name.size() < 2 || !std::isalnum(static_cast<unsigned char>(name[0]))) return false;
  for (char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.' && c != '-')
      return false;
  return true;
}

MountRequest tmpfs_mount(const std::string& target, int64_t size, uint32_t mode, bool read_only) {
  MountRequest r;
  r.type = MountRequest::Type::kTmpfs;
  r.target = clean_absolute(target, "mount target");
  std::string opts;
  if (size > 0) opts += ",size=" + std::to_string(size);
  if (mode != 0) {
    char octal[16];
    std::snprintf(octal, sizeof octal, "%o", mode);
    opts += std::string(",mode=") + octal;
  }
  apply_tmpfs_options(r, opts + ",nosuid,nodev");
  r.readonly = read_only;
  return r;
}

VolumesFrom parse_volumes_from(const std::string& spec) {
  VolumesFrom f{spec, std::nullopt};
  if (auto colon = spec.rfind(':'); colon != std::string::npos) {
    f.container = spec.substr(0, colon);
    const std::string mode = spec.substr(colon + 1);
    if (mode != "ro" && mode != "rw") invalid("invalid mode: " + mode);
    f.read_only = mode == "ro";
  }
  if (f.container.empty()) invalid("invalid volumes-from: '" + spec + "'");
  return f;
}

bool is_host_path(const std::string& source) {
  return !source.empty() && (source[0] == '/' || source[0] == '.' || source[0] == '~');
}

MountRequest parse_volume_spec(const std::string& spec) {
  auto parts = split(spec, ':');
  if (parts.size() > 3 || parts[0].empty()) invalid("invalid volume specification: '" + spec + "'");
  MountRequest r;
  r.from_v = true;
  if (parts.size() == 1) {  // -v /dst: an anonymous volume
    r.target = clean_absolute(parts[0], "volume specification '" + spec + "'");
    r.mode = "z";
    return r;
  }
  const std::string& src = parts[0];
  r.target = clean_absolute(parts[1], "volume specification '" + spec + "'");
  if (is_host_path(src)) {
    r.type = MountRequest::Type::kBind;
    r.source = src.front() == '/' ? clean_absolute(src, "bind source") : src;
  } else if (!valid_volume_name(src)) {
    invalid("create " + src + ": \"" + src +
            "\" includes invalid characters for a local volume name, only "
            "\"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host "
            "directory, use absolute path");
  } else {
    r.source = src;
  }
  if (r.type == MountRequest::Type::kVolume) r.mode = "z";
  if (parts.size() == 3) apply_v_options(r, parts[2], spec);
  if (r.type == MountRequest::Type::kBind && r.target == "/")
    invalid("invalid volume specification: '" + spec +
            "': invalid mount config: destination "
            "can't be '/'");
  return r;
}

MountRequest parse_mount_spec(const std::string& spec) {
  MountRequest r;
  std::string type = "volume";
  std::string tmpfs_opts;
  bool has_target = false;
  for (const auto& field : mount_fields(spec)) {
    const size_t eq = field.find('=');
    const std::string key = field.substr(0, eq);
    const std::string value = eq == std::string::npos ? "" : field.substr(eq + 1);
    const bool flag_true = eq == std::string::npos || value == "true" || value == "1";
    if (key == "type") {
      type = value;
    } else if (key == "source" || key == "src") {
      r.source = value;
    } else if (key == "target" || key == "destination" || key == "dst") {
      r.target = value;
      has_target = true;
    } else if (key == "readonly" || key == "ro") {
      r.readonly = flag_true;
    } else if (key == "volume-nocopy") {
      r.nocopy = flag_true;
    } else if (key == "bind-propagation") {
      if (!is_propagation(value)) invalid("invalid bind propagation: \"" + value + "\"");
      r.propagation = value;
    } else if (key == "tmpfs-size") {
      tmpfs_opts += ",size=" + value;
    } else if (key == "tmpfs-mode") {
      tmpfs_opts += ",mode=" + value;
    } else if (key != "consistency" && key != "volume-driver" && key != "volume-label" &&
               key != "volume-opt") {
      invalid("invalid field '" + key + "' must be a key=value pair");
    }
  }
  if (!has_target || r.target.empty())
    invalid("invalid argument \"" + spec + "\" for \"--mount\" flag: target is required");
  r.target = clean_absolute(r.target, "mount target");
  if (type == "volume") {
    r.type = MountRequest::Type::kVolume;
    if (!r.source.empty() && !valid_volume_name(r.source))
      invalid("invalid mount config for type \"volume\": invalid volume name \"" + r.source + "\"");
  } else if (type == "bind") {
    r.type = MountRequest::Type::kBind;
    if (r.source.empty())
      invalid("invalid mount config for type \"bind\": field Source must not be empty");
    r.source = clean_absolute(r.source, "mount config for type \"bind\": source");
    if (r.nocopy)
      invalid("invalid mount config for type \"bind\": field VolumeOptions must not be specified");
  } else if (type == "tmpfs") {
    r.type = MountRequest::Type::kTmpfs;
    if (!r.source.empty())
      invalid("invalid mount config for type \"tmpfs\": field Source must be empty");
    const bool ro = r.readonly;
    apply_tmpfs_options(r, tmpfs_opts + ",nosuid,nodev");
    r.readonly = ro;
  } else {
    invalid("invalid mount config: mount type unknown: \"" + type + "\"");
  }
  return r;
}

MountRequest parse_tmpfs_spec(const std::string& spec) {
  MountRequest r;
  r.type = MountRequest::Type::kTmpfs;
  const size_t colon = spec.find(':');
  r.target = clean_absolute(spec.substr(0, colon), "tmpfs mount point");
  r.tmpfs_flags = MS_NOEXEC | MS_NOSUID | MS_NODEV;
  apply_tmpfs_options(r, colon == std::string::npos ? "" : spec.substr(colon + 1));
  return r;
}

}  // namespace berth::request
