#include "engine/image/archive_save.h"

#include <fcntl.h>
#include <unistd.h>

#include <memory>
#include <set>

#include "common/error.h"
#include "engine/image/archive_lib.h"
#include "engine/image/digest.h"

namespace berth::engine::image {

namespace {

class TarWriter {
 public:
  explicit TarWriter(int fd) : la_(archive_lib()), a_(la_.archive_write_new()) {
    la_.archive_write_set_format_pax_restricted(a_);
    if (la_.archive_write_open_fd(a_, fd) != ARCHIVE_OK) throw Error("save: " + archive_error(a_));
  }
  ~TarWriter() { la_.archive_write_free(a_); }

  void dir(const std::string& name) { header(name, AE_IFDIR, 0755, 0); }

  void text(const std::string& name, const std::string& data) {
    header(name, AE_IFREG, 0644, static_cast<int64_t>(data.size()));
    write(data.data(), data.size());
  }

  void file(const std::string& name, const std::filesystem::path& path) {
    sys::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) throw_errno("open", path.string(), errno);
    header(name, AE_IFREG, 0644, static_cast<int64_t>(std::filesystem::file_size(path)));
    char buf[128 * 1024];
    for (ssize_t n; (n = ::read(fd.get(), buf, sizeof buf)) != 0;) {
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw_errno("read", path.string(), errno);
      write(buf, static_cast<size_t>(n));
    }
  }

  void close() {
    if (la_.archive_write_close(a_) != ARCHIVE_OK) throw Error("save: " + archive_error(a_));
  }

 private:
  void header(const std::string& name, unsigned type, unsigned perm, int64_t size) {
    std::unique_ptr<struct archive_entry, void (*)(struct archive_entry*)> e(
        la_.archive_entry_new(), la_.archive_entry_free);
    la_.archive_entry_set_pathname(e.get(), name.c_str());
    la_.archive_entry_set_filetype(e.get(), type);
    la_.archive_entry_set_perm(e.get(), perm);
    la_.archive_entry_set_size(e.get(), size);
    la_.archive_entry_set_mtime(e.get(), 0, 0);
    if (la_.archive_write_header(a_, e.get()) != ARCHIVE_OK)
      throw Error("save " + name + ": " + archive_error(a_));
  }
  void write(const void* data, size_t len) {
    if (len > 0 && la_.archive_write_data(a_, data, len) < 0)
      throw Error("save: " + archive_error(a_));
  }
  const ArchiveLib& la_;
  struct archive* a_;
};

struct Saved {
  Image image;
  std::vector<Reference> tags;
};

std::vector<Saved> collect(const Store& store, const std::vector<std::string>& refs) {
  std::vector<Saved> out;
  for (const auto& ref : refs) {
    Image img = store.resolve(ref);
    auto it = std::find_if(out.begin(), out.end(), [&](const Saved& s) {
      return s.image.manifest_digest == img.manifest_digest;
    });
    if (it == out.end()) it = out.insert(out.end(), {img, {}});
    auto r = try_parse_reference(ref);
    if (ref.rfind("sha256:", 0) != 0 && r && !r->tag.empty() &&
        std::find(img.repo_tags.begin(), img.repo_tags.end(), r->str()) != img.repo_tags.end())
      it->tags.push_back(*r);
  }
  return out;
}

std::string blob_name(const std::string& digest) {
  return "blobs/sha256/" + digest_hex(digest);
}

}  // namespace

void save_images(const Store& store, const std::vector<std::string>& refs, int fd) {
  auto images = collect(store, refs);
  TarWriter tar(fd);
  tar.dir("blobs/");
  tar.dir("blobs/sha256/");
  std::set<std::string> written;
  auto blob = [&](const std::string& digest) {
    if (written.insert(digest).second) tar.file(blob_name(digest), store.blob_path(digest));
  };
  nlohmann::ordered_json index = {{"schemaVersion", 2},
                                  {"mediaType", "application/vnd.oci.image.index.v1+json"},
                                  {"manifests", nlohmann::json::array()}};
  nlohmann::json manifest = nlohmann::json::array();
  nlohmann::json repositories = nlohmann::json::object();
  for (const auto& s : images) {
    const Image& img = s.image;
    blob(img.id);
    nlohmann::json layers = nlohmann::json::array();
    for (const auto& l : img.manifest.value("layers", nlohmann::json::array())) {
      blob(l.value("digest", ""));
      layers.push_back(blob_name(l.value("digest", "")));
    }
    blob(img.manifest_digest);
    nlohmann::ordered_json desc = {
        {"mediaType",
         img.manifest.value("mediaType", "application/vnd.oci.image.manifest.v1+json")},
        {"digest", img.manifest_digest},
        {"size", std::filesystem::file_size(store.blob_path(img.manifest_digest))}};
    nlohmann::json repo_tags = nullptr;
    for (const auto& t : s.tags) {
      auto d = desc;
      d["annotations"] = {{"io.containerd.image.name", t.full_name() + ":" + t.tag},
                          {"org.opencontainers.image.ref.name", t.tag}};
      index["manifests"].push_back(d);
      repo_tags.push_back(t.str());
      if (!layers.empty())
        repositories[t.name][t.tag] = layers.back().get<std::string>().substr(13);
    }
    if (s.tags.empty()) index["manifests"].push_back(desc);
    manifest.push_back(
        {{"Config", blob_name(img.id)}, {"RepoTags", repo_tags}, {"Layers", layers}});
  }
  tar.text("index.json", index.dump() + "\n");
  tar.text("manifest.json", manifest.dump() + "\n");
  tar.text("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}");
  if (!repositories.empty()) tar.text("repositories", repositories.dump() + "\n");
  tar.close();
}

}  // namespace berth::engine::image
