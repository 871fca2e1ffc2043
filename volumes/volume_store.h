// VolumeStore: named and anonymous volumes on disk (ARCHITECTURE.md §3):
//   <root>/volumes/<name>/_data      what containers see (bind-mounted; no copy path)
//   <root>/volumes/<name>/meta.json  {Name, Driver, CreatedAt, Labels, Options, Anonymous}
// Which containers use a volume is derived from their records (core/state/volume_refs.h).
// Callers that create or remove volumes hold lock() for the whole check-then-act, so a
// volume never disappears between "not in use" and its deletion, nor between its creation
// and the container record that references it. Methods do not take the lock themselves.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/file_lock.h"
#include "common/paths.h"

namespace berth::volumes {

struct Volume {
  std::string name;
  std::filesystem::path mountpoint;  // .../<name>/_data
  std::string created_at;            // RFC 3339
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> options;
  bool anonymous = false;
};

class VolumeStore {
 public:
  explicit VolumeStore(const Paths& paths) : paths_(paths) {}

  FileLock lock() const;

  // Creates the volume, or returns the existing one of that name (as Docker). An empty name
  // makes an anonymous volume with a random 64-hex name. Throws Error (125) for a bad name or
  // an --opt the local driver does not know.
  Volume create(const std::string& name, const std::map<std::string, std::string>& labels = {},
                const std::map<std::string, std::string>& options = {},
                bool anonymous = false) const;
  std::optional<Volume> find(const std::string& name) const;
  // Throws NotFound "get NAME: no such volume".
  Volume get(const std::string& name) const;
  // Every volume, by name. A directory whose meta.json is unreadable is listed by its name.
  std::vector<Volume> list() const;
  // Deletes the volume's directory. Throws Error listing what could not be deleted.
  void remove(const std::string& name) const;
  // True when _data has no entries.
  bool empty(const std::string& name) const;
  // Bytes used by _data (du -s semantics, not following symlinks).
  static int64_t size(const std::filesystem::path& dir);

  std::filesystem::path dir(const std::string& name) const { return paths_.volumes() / name; }

 private:
  Paths paths_;
};

// --opt keys the local driver accepts (type, device, o); anything else is refused.
bool valid_volume_option(const std::string& key);

}  // namespace berth::volumes
