#include "engine/image/archive_load.h"

#include <fcntl.h>
#include <unistd.h>

#include <map>
#include <memory>

#include "common/error.h"
#include "engine/image/archive_lib.h"
#include "engine/image/digest.h"
#include "engine/image/layer_stream.h"
#include "engine/image/tar_rules.h"

namespace berth::engine::image {

namespace {

constexpr const char* kOciManifest = "application/vnd.oci.image.manifest.v1+json";
constexpr const char* kOciConfig = "application/vnd.oci.image.config.v1+json";

// The members of the archive: regular files as hashed temp blobs, links as names.
class Members {
 public:
  explicit Members(Store& store) : store_(store) {}
  void read(int fd);

  // The member at name (following links in the archive), or throws.
  BlobWriter& at(const std::string& name);
  // The member whose content has this digest, or throws.
  BlobWriter& by_digest(const std::string& digest);
  bool has(const std::string& name) { return find(name, 0) != nullptr; }
  std::string text(BlobWriter& b);
  // Moves the member into the store (once) and returns its digest.
  std::string commit(BlobWriter& b);

 private:
  BlobWriter* find(const std::string& name, int depth);
  void add(struct archive* a, struct archive_entry* e);
  Store& store_;
  std::map<std::string, std::unique_ptr<BlobWriter>> files_;
  std::map<std::string, std::string> links_;
};

void Members::add(struct archive* a, struct archive_entry* e) {
  const auto& la = archive_lib();
  const char* raw = la.archive_entry_pathname(e);
  if (!raw) raw = la.archive_entry_pathname_utf8(e);
  if (!raw) throw Error("archive member with an unreadable name");
  std::vector<std::string> path;
  try {
    path = entry_components(raw);
  } catch (const Error& err) {
    throw err.with_context("archive member `" + std::string(raw) + "`");
  }
  std::string name = join_components(path);
  if (path.empty()) return;  // the archive's root directory
  if (const char* hard = la.archive_entry_hardlink(e)) {
    auto target = resolve_lexically({}, hard);
    if (!target) throw Error("archive member `" + name + "` links outside the archive");
    links_[name] = join_components(*target);
  } else if (la.archive_entry_filetype(e) == AE_IFLNK) {
    std::string target = la.archive_entry_symlink(e) ? la.archive_entry_symlink(e) : "";
    path.pop_back();
    auto resolved = resolve_lexically(path, target);
    if (!resolved) throw Error("archive member `" + name + "` links outside the archive");
    links_[name] = join_components(*resolved);
  } else if (la.archive_entry_filetype(e) == AE_IFREG) {
    auto w = store_.new_blob();
    char buf[128 * 1024];
    for (;;) {
      la_ssize_t n = la.archive_read_data(a, buf, sizeof buf);
      if (n < 0) throw Error("read archive member `" + name + "`: " + archive_error(a));
      if (n == 0) break;
      w->write(buf, static_cast<size_t>(n));
    }
    w->finish();
    files_[name] = std::move(w);
  }
}

void Members::read(int fd) {
  const auto& la = archive_lib();
  struct archive* a = la.archive_read_new();
  la.archive_read_support_filter_gzip(a);
  la.archive_read_support_filter_zstd(a);
  la.archive_read_support_filter_xz(a);
  la.archive_read_support_filter_none(a);
  la.archive_read_support_format_tar(a);
  std::unique_ptr<struct archive, int (*)(struct archive*)> owner(a, la.archive_read_free);
  if (la.archive_read_open_fd(a, fd, 128 * 1024) != ARCHIVE_OK)
    throw Error("read archive: " + archive_error(a));
  struct archive_entry* e = nullptr;
  for (;;) {
    int rc = la.archive_read_next_header(a, &e);
    if (rc == ARCHIVE_EOF) break;
    if (rc < ARCHIVE_WARN) throw Error("read archive: " + archive_error(a));
    add(a, e);
  }
}

BlobWriter* Members::find(const std::string& name, int depth) {
  if (depth > 16) return nullptr;
  auto parts = resolve_lexically({}, name);
  if (!parts) return nullptr;
  std::string key = join_components(*parts);
  if (auto it = files_.find(key); it != files_.end()) return it->second.get();
  if (auto it = links_.find(key); it != links_.end()) return find(it->second, depth + 1);
  return nullptr;
}

BlobWriter& Members::at(const std::string& name) {
  BlobWriter* b = find(name, 0);
  if (!b) throw Error("archive member `" + name + "` is missing");
  return *b;
}

BlobWriter& Members::by_digest(const std::string& digest) {
  for (auto& [name, b] : files_)
    if (b->digest() == digest) return *b;
  throw Error("blob " + digest + " is missing from the archive");
}

std::string Members::text(BlobWriter& b) {
  if (b.path().empty()) return store_.read_blob(b.digest());
  auto fd = b.open_read();
  std::string out;
  char buf[65536];
  for (ssize_t n; (n = ::read(fd.get(), buf, sizeof buf)) > 0;) out.append(buf, n);
  return out;
}

std::string Members::commit(BlobWriter& b) {
  if (!b.path().empty() && !store_.has_blob(b.digest())) store_.commit_blob(b);
  return b.digest();
}

nlohmann::json parse(const std::string& text, const std::string& what) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded()) throw Error("load: " + what + " is not valid JSON");
  return j;
}

// A digest read from the archive's metadata at `where` (a JSON path in `what`), checked
// before it names a file or is compared.
std::string checked_digest(const nlohmann::json& value, const std::string& what,
                           const std::string& where) {
  std::string d = value.is_string() ? value.get<std::string>() : "";
  try {
    return validate_digest(d);
  } catch (const Error& e) {
    throw e.with_context("load: " + what + ": " + where + " " + value.dump());
  }
}

std::vector<std::string> diff_ids_of(const nlohmann::json& config, const std::string& what) {
  auto it = config.is_object() ? config.find("rootfs") : config.end();
  if (it == config.end() || !it->is_object() || !it->contains("diff_ids") ||
      !(*it)["diff_ids"].is_array())
    throw Error("load: " + what + " has no rootfs.diff_ids");
  std::vector<std::string> out;
  for (const auto& d : (*it)["diff_ids"])
    out.push_back(checked_digest(d, what, "rootfs.diff_ids[" + std::to_string(out.size()) + "]"));
  return out;
}

// One image of the archive with its metadata checked. Every image is planned before any
// layer is stored, so bad metadata anywhere leaves the store as it was.
struct Planned {
  std::string manifest_digest;  // OCI layouts only: the manifest blob
  BlobWriter* config = nullptr;
  std::vector<BlobWriter*> layers;
  std::vector<std::string> diff_ids;
  std::vector<Reference> tags;
};

// Stores and unpacks each layer blob of p, in order.
void unpack_layers(Store& store, Members& m, const Planned& p) {
  std::string parent;
  for (size_t i = 0; i < p.layers.size(); ++i) {
    BlobWriter& b = *p.layers[i];
    if (b.path().empty()) {  // already stored (the same layer twice)
      parent = store.unpack_layer(b.digest(), parent, p.diff_ids[i]).chain_id;
    } else {
      auto fd = b.open_read();
      parent = store.unpack_layer_fd(fd.get(), b.digest(), parent, p.diff_ids[i]).chain_id;
    }
    m.commit(b);
  }
}

void check_layer_count(const Planned& p) {
  if (p.diff_ids.size() != p.layers.size())
    throw Error("load: the image config lists " + std::to_string(p.diff_ids.size()) +
                " layers, the manifest " + std::to_string(p.layers.size()));
}

// Adds the image and reports it as `docker load` does.
void add_loaded(Store& store, const std::string& manifest_digest,
                const std::vector<Reference>& tags, std::vector<std::string>& out) {
  std::string config_digest =
      parse(store.read_blob(manifest_digest), "manifest").at("config").value("digest", "");
  for (const auto& t : tags) {
    auto old = store.find(t.str());
    if (old && old->id != config_digest)
      out.push_back("The image " + t.str() + " already exists, renaming the old one with ID " +
                    old->id + " to empty string");
  }
  Image img = store.add_image(manifest_digest, tags);
  if (tags.empty()) out.push_back("Loaded image ID: " + img.id);
  for (const auto& t : tags) out.push_back("Loaded image: " + t.str());
}

std::vector<Reference> parse_tags(const nlohmann::json& repo_tags) {
  std::vector<Reference> tags;
  if (!repo_tags.is_array()) return tags;
  for (const auto& t : repo_tags)
    if (t.is_string()) tags.push_back(parse_reference(t.get<std::string>()));
  return tags;
}

// docker-archive: manifest.json lists config and layer members by path (resolved inside
// the archive only).
void load_docker(Store& store, Members& m, std::vector<std::string>& out) {
  auto manifest = parse(m.text(m.at("manifest.json")), "manifest.json");
  if (!manifest.is_array()) throw Error("load: manifest.json is not a list");
  std::vector<Planned> plan;
  for (const auto& entry : manifest) {
    Planned p;
    p.config = &m.at(entry.value("Config", ""));
    p.diff_ids = diff_ids_of(parse(m.text(*p.config), "image config"), "image config");
    for (const auto& l : entry.value("Layers", std::vector<std::string>{}))
      p.layers.push_back(&m.at(l));
    check_layer_count(p);
    p.tags = parse_tags(entry.value("RepoTags", nlohmann::json()));
    plan.push_back(std::move(p));
  }
  for (const auto& p : plan) {
    unpack_layers(store, m, p);
    nlohmann::json oci = {{"schemaVersion", 2}, {"mediaType", kOciManifest}};
    oci["config"] = {
        {"mediaType", kOciConfig}, {"digest", m.commit(*p.config)}, {"size", p.config->size()}};
    oci["layers"] = nlohmann::json::array();
    for (BlobWriter* b : p.layers) {  // stored by unpack_layers
      sys::UniqueFd fd(::open(store.blob_path(b->digest()).c_str(), O_RDONLY | O_CLOEXEC));
      if (!fd) throw_errno("open", store.blob_path(b->digest()).string(), errno);
      Compression c = detect_compression(fd.get());
      oci["layers"].push_back(
          {{"mediaType", layer_media_type(c)}, {"digest", b->digest()}, {"size", b->size()}});
    }
    std::string digest = store.put_blob(oci.dump());
    add_loaded(store, digest, p.tags, out);
  }
}

// The image manifest a descriptor names, descending into a nested index (linux/amd64).
std::string pick_manifest(Members& m, const nlohmann::json& desc, int depth = 0) {
  std::string digest =
      checked_digest(desc.is_object() ? desc.value("digest", nlohmann::json()) : nlohmann::json(),
                     depth == 0 ? "index.json" : "index", "manifests[].digest");
  std::string type = desc.value("mediaType", "");
  if (type.find("index") == std::string::npos && type.find("manifest.list") == std::string::npos)
    return digest;
  if (depth > 4) throw Error("load: index nesting too deep");
  auto index = parse(m.text(m.by_digest(digest)), "index " + digest);
  for (const auto& d : index.value("manifests", nlohmann::json::array())) {
    auto p = d.value("platform", nlohmann::json::object());
    if (p.value("os", "linux") == "linux" && p.value("architecture", "amd64") == "amd64")
      return pick_manifest(m, d, depth + 1);
  }
  throw Error("load: no linux/amd64 image in index " + digest);
}

// Tags of one OCI index entry: the full name containerd and Docker ≥ 25 record, else
// ref.name when it is a whole reference, else manifest.json's RepoTags for the config.
std::vector<Reference> oci_tags(const nlohmann::json& desc, const nlohmann::json& docker_manifest,
                                const std::string& config_path) {
  auto ann = desc.value("annotations", nlohmann::json::object());
  std::string name = ann.value("io.containerd.image.name", "");
  if (name.empty()) {
    std::string ref = ann.value("org.opencontainers.image.ref.name", "");
    if (ref.find(':') != std::string::npos || ref.find('/') != std::string::npos) name = ref;
  }
  if (!name.empty()) return {parse_reference(name)};
  if (docker_manifest.is_array())
    for (const auto& e : docker_manifest)
      if (e.value("Config", "") == config_path)
        return parse_tags(e.value("RepoTags", nlohmann::json()));
  return {};
}

void load_oci(Store& store, Members& m, std::vector<std::string>& out) {
  auto index = parse(m.text(m.at("index.json")), "index.json");
  nlohmann::json docker_manifest;
  if (m.has("manifest.json"))
    docker_manifest = parse(m.text(m.at("manifest.json")), "manifest.json");
  std::vector<Planned> plan;
  for (const auto& desc : index.value("manifests", nlohmann::json::array())) {
    Planned p;
    p.manifest_digest = pick_manifest(m, desc);
    const std::string what = "manifest " + p.manifest_digest;
    auto manifest = parse(m.text(m.by_digest(p.manifest_digest)), what);
    std::string config_digest = checked_digest(
        manifest.at("config").value("digest", nlohmann::json()), what, "config.digest");
    p.config = &m.by_digest(config_digest);
    p.diff_ids = diff_ids_of(parse(m.text(*p.config), "image config " + config_digest),
                             "image config " + config_digest);
    auto layers = manifest.value("layers", nlohmann::json::array());
    for (size_t i = 0; i < layers.size(); ++i)
      p.layers.push_back(
          &m.by_digest(checked_digest(layers[i].value("digest", nlohmann::json()), what,
                                      "layers[" + std::to_string(i) + "].digest")));
    check_layer_count(p);
    p.tags = oci_tags(desc, docker_manifest, "blobs/sha256/" + digest_hex(config_digest));
    plan.push_back(std::move(p));
  }
  std::map<std::string, std::vector<Reference>> images;  // manifest digest → tags
  std::vector<std::string> order;
  for (const auto& p : plan) {
    unpack_layers(store, m, p);
    m.commit(*p.config);
    m.commit(m.by_digest(p.manifest_digest));
    if (!images.count(p.manifest_digest)) order.push_back(p.manifest_digest);
    images[p.manifest_digest].insert(images[p.manifest_digest].end(), p.tags.begin(), p.tags.end());
  }
  for (const auto& d : order) add_loaded(store, d, images[d], out);
}

}  // namespace

std::vector<std::string> load_archive(Store& store, int fd) {
  FileLock content = store.content_lock();
  Members m(store);
  m.read(fd);
  std::vector<std::string> out;
  try {
    if (m.has("index.json") && m.has("oci-layout")) {
      load_oci(store, m, out);
    } else if (m.has("manifest.json")) {
      load_docker(store, m, out);
    } else {
      throw Error("neither manifest.json nor oci-layout + index.json in the archive");
    }
  } catch (const nlohmann::json::exception& e) {
    throw Error(std::string("load: malformed image metadata: ") + e.what());
  }
  return out;
}

}  // namespace berth::engine::image
