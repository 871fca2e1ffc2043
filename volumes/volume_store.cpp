#include "volumes/volume_store.h"

#include <dirent.h>
#include <sys/stat.h>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>
#include <system_error>

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/random_id.h"
#include "common/timestamps.h"
#include "core/state/volume_refs.h"
#include "request/mounts.h"

namespace berth::volumes {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::optional<Volume> read_meta(const fs::path& dir) {
  Volume v;
  v.name = dir.filename().string();
  v.mountpoint = dir / "_data";
  auto text = read_file_if_exists(dir / "meta.json");
  if (!text) return std::nullopt;
  try {
    json j = json::parse(*text);
    v.created_at = j.value("CreatedAt", "");
    v.labels = j.value("Labels", std::map<std::string, std::string>{});
    v.options = j.value("Options", std::map<std::string, std::string>{});
    v.anonymous = j.value("Anonymous", false);
  } catch (const json::exception& e) {
    // Its data is there: listed, without the labels and options it lost.
    spdlog::warn("volume {}: parse `{}`: {}", v.name, (dir / "meta.json").string(), e.what());
  }
  return v;
}

}  // namespace

bool valid_volume_option(const std::string& key) {
  return key == "type" || key == "device" || key == "o";
}

FileLock VolumeStore::lock() const {
  make_dirs(paths_.locks());
  return FileLock(core::state::volumes_lock(paths_));
}

Volume VolumeStore::create(const std::string& name,
                           const std::map<std::string, std::string>& labels,
                           const std::map<std::string, std::string>& options,
                           bool anonymous) const {
  std::string n = name.empty() ? random_hex(32) : name;
  if (!request::valid_volume_name(n))
    throw Error("create " + n + ": \"" + n +
                    "\" includes invalid characters for a local volume name, only "
                    "\"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed",
                125);
  for (const auto& [k, _] : options)
    if (!valid_volume_option(k))
      throw Error("create " + n + ": invalid option key: \"" + k + "\"", 125);
  if (auto existing = find(n)) return *existing;
  Volume v;
  v.name = n;
  v.mountpoint = dir(n) / "_data";
  v.created_at = berth::format_rfc3339_nano(berth::now());
  v.labels = labels;
  v.options = options;
  v.anonymous = anonymous || name.empty();
  make_dirs(paths_.volumes());
  // _data first, meta.json last (atomically): a volume exists once its meta.json does.
  make_dirs(dir(n), 0701);
  if (::mkdir(v.mountpoint.c_str(), 0755) < 0 && errno != EEXIST)
    throw_errno("mkdir", v.mountpoint.string(), errno);
  json j = {{"Name", v.name},     {"Driver", "local"},    {"CreatedAt", v.created_at},
            {"Labels", v.labels}, {"Options", v.options}, {"Anonymous", v.anonymous}};
  write_file_atomic(dir(n) / "meta.json", j.dump(), 0600, true);
  return v;
}

std::optional<Volume> VolumeStore::find(const std::string& name) const {
  if (!request::valid_volume_name(name)) return std::nullopt;
  return read_meta(dir(name));
}

Volume VolumeStore::get(const std::string& name) const {
  auto v = find(name);
  if (!v) throw NotFound("get " + name + ": no such volume");
  return *v;
}

std::vector<Volume> VolumeStore::list() const {
  std::vector<Volume> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(paths_.volumes(), ec)) {
    if (!e.is_directory()) continue;
    auto v = read_meta(e.path());
    if (!v) {  // half-made (crash between mkdir and meta.json): still listed, so it can be removed
      v = Volume{};
      v->name = e.path().filename().string();
      v->mountpoint = e.path() / "_data";
    }
    out.push_back(*v);
  }
  std::sort(out.begin(), out.end(),
            [](const Volume& a, const Volume& b) { return a.name < b.name; });
  return out;
}

void VolumeStore::remove(const std::string& name) const {
  if (!request::valid_volume_name(name)) throw NotFound("get " + name + ": no such volume");
  std::error_code ec;
  fs::remove_all(dir(name), ec);
  if (ec) throw Error("remove " + name + ": " + ec.message());
}

bool VolumeStore::empty(const std::string& name) const {
  std::error_code ec;
  return fs::directory_iterator(dir(name) / "_data", ec) == fs::directory_iterator();
}

int64_t VolumeStore::size(const fs::path& dir) {
  int64_t total = 0;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec),
       end;
       !ec && it != end; it.increment(ec)) {
    struct stat st {};
    if (::lstat(it->path().c_str(), &st) == 0 && !S_ISDIR(st.st_mode)) total += st.st_blocks * 512;
  }
  return total;
}

}  // namespace berth::volumes
