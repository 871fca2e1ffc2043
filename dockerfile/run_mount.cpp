#include "dockerfile/run_mount.h"

#include <stdexcept>
#include <vector>

#include "common/csv.h"
#include "common/error.h"
#include "common/units.h"
#include "dockerfile/ascii.h"
#include "dockerfile/parser.h"

namespace berth::dockerfile {

namespace {

// One CSV record (Go's encoding/csv), as BuildKit reads the flag's value.
std::vector<std::string> csv_fields(std::string_view s) {
  try {
    return split_csv_fields(s);
  } catch (const Error& e) {
    throw e.with_context("failed to parse csv mounts");
  }
}

bool parse_bool(const std::string& key, const std::string& v) {
  // Go's strconv.ParseBool.
  if (v == "1" || v == "t" || v == "T" || v == "true" || v == "TRUE" || v == "True") return true;
  if (v == "0" || v == "f" || v == "F" || v == "false" || v == "FALSE" || v == "False")
    return false;
  throw Error("invalid value for " + key + ": " + v);
}

uint32_t parse_uint(const std::string& v, int base, const std::string& what) {
  try {
    size_t used = 0;
    if (v.empty() || v[0] == '-' || v[0] == '+') throw std::invalid_argument(v);
    unsigned long long n = std::stoull(v, &used, base);
    if (used != v.size() || n > 0xFFFFFFFFull) throw std::invalid_argument(v);
    return static_cast<uint32_t>(n);
  } catch (const std::logic_error&) {
    throw Error("invalid value " + v + " for " + what);
  }
}

void validate(RunMount& m, bool ro_auto) {
  bool file_info =
      m.type == MountType::kSecret || m.type == MountType::kSsh || m.type == MountType::kCache;
  std::string type = go_quote(mount_type_name(m.type));
  if (!file_info) {
    if (m.mode) throw Error("mode not allowed for " + type + " type mounts");
    if (m.uid) throw Error("uid not allowed for " + type + " type mounts");
    if (m.gid) throw Error("gid not allowed for " + type + " type mounts");
  }
  if (ro_auto) m.readonly = !(m.type == MountType::kCache || m.type == MountType::kTmpfs);
  if (m.type == MountType::kSecret) {
    if (!m.from.empty()) throw Error("secret mount should not have a from");
    if (m.sharing) throw Error("secret mount should not define sharing");
    if (m.source.empty() && m.target.empty() && m.id.empty() && m.env.empty())
      throw Error("invalid secret mount. one of source, target required");
    if (!m.source.empty() && !m.id.empty()) throw Error("both source and id can't be set");
  }
  if (m.sharing && m.type != MountType::kCache)
    throw Error("invalid cache sharing set for " + std::string(mount_type_name(m.type)) + " mount");
}

}  // namespace

std::string_view mount_type_name(MountType t) {
  switch (t) {
    case MountType::kBind:
      return "bind";
    case MountType::kCache:
      return "cache";
    case MountType::kTmpfs:
      return "tmpfs";
    case MountType::kSecret:
      return "secret";
    case MountType::kSsh:
      return "ssh";
  }
  return "bind";
}

RunMount parse_run_mount(std::string_view spec, const Expander* expand) {
  RunMount m;
  bool ro_auto = true;
  for (const auto& field : csv_fields(spec)) {
    auto eq = field.find('=');
    std::string key = detail::to_lower(field.substr(0, eq));
    if (eq == std::string::npos) {
      if (key == "readonly" || key == "ro" || key == "readwrite" || key == "rw") {
        m.readonly = key == "readonly" || key == "ro";
        ro_auto = false;
      } else if (key == "required") {
        if (m.type != MountType::kSecret && m.type != MountType::kSsh)
          throw Error("unexpected key '" + key + "' for mount type '" +
                      std::string(mount_type_name(m.type)) + "'");
        m.required = true;
      } else {
        throw Error("invalid field '" + field + "' must be a key=value pair");
      }
      continue;
    }
    std::string value = field.substr(eq + 1);
    bool deferred = false;
    if (expand) {
      value = (*expand)(value);
    } else if (value.find('$') != std::string::npos) {
      if (key == "from" && value.find('$') + 1 < value.size())
        throw Error("'from' doesn't support variable expansion, define alias stage instead");
      deferred = true;
    }
    if (key == "type") {
      if (deferred) continue;
      auto v = detail::to_lower(value);
      if (v == "bind")
        m.type = MountType::kBind;
      else if (v == "cache")
        m.type = MountType::kCache;
      else if (v == "tmpfs")
        m.type = MountType::kTmpfs;
      else if (v == "secret")
        m.type = MountType::kSecret;
      else if (v == "ssh")
        m.type = MountType::kSsh;
      else
        throw Error("unsupported mount type " + go_quote(value));
    } else if (key == "from") {
      m.from = value;
    } else if (key == "source" || key == "src") {
      m.source = value;
    } else if (key == "target" || key == "dst" || key == "destination") {
      m.target = value;
    } else if (key == "readonly" || key == "ro") {
      if (deferred) continue;
      m.readonly = parse_bool(key, value);
      ro_auto = false;
    } else if (key == "readwrite" || key == "rw") {
      if (deferred) continue;
      m.readonly = !parse_bool(key, value);
      ro_auto = false;
    } else if (key == "required") {
      if (m.type != MountType::kSecret && m.type != MountType::kSsh)
        throw Error("unexpected key '" + key + "' for mount type '" +
                    std::string(mount_type_name(m.type)) + "'");
      if (!deferred) m.required = parse_bool(key, value);
    } else if (key == "size") {
      if (m.type != MountType::kTmpfs)
        throw Error("unexpected key '" + key + "' for mount type '" +
                    std::string(mount_type_name(m.type)) + "'");
      if (deferred) continue;
      try {
        m.size = parse_bytes(value);
      } catch (const std::invalid_argument&) {
        throw Error("invalid value for " + key + ": " + value);
      }
    } else if (key == "id") {
      m.id = value;
    } else if (key == "env") {
      m.env = value;
    } else if (key == "sharing") {
      if (deferred) continue;
      auto v = detail::to_lower(value);
      if (v == "shared")
        m.sharing = MountSharing::kShared;
      else if (v == "private")
        m.sharing = MountSharing::kPrivate;
      else if (v == "locked")
        m.sharing = MountSharing::kLocked;
      else
        throw Error("unsupported sharing value " + go_quote(value));
    } else if (key == "mode") {
      if (!deferred) m.mode = parse_uint(value, 8, "mode");
    } else if (key == "uid") {
      if (!deferred) m.uid = parse_uint(value, 10, "uid");
    } else if (key == "gid") {
      if (!deferred) m.gid = parse_uint(value, 10, "gid");
    } else {
      throw Error("unexpected key '" + key + "' in '" + field + "'");
    }
  }
  validate(m, ro_auto);
  return m;
}

}  // namespace berth::dockerfile
