#include "engine/image/tree_tar.h"

#include <dirent.h>
#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>
#include <exception>
#include <map>
#include <memory>
#include <utility>
#include <vector>

#include "common/error.h"
#include "engine/image/archive_lib.h"
#include "engine/image/tar_rules.h"
#include "engine/image/tree_entry.h"
#include "sys/unique_fd.h"

namespace berth::engine::image {

namespace {

using sys::UniqueFd;
using Xattrs = std::map<std::string, std::string>;  // sorted by name: reproducible headers

// What one tar header says, beyond the entry's stat.
struct HeaderExtras {
  std::string symlink;
  std::string hardlink;
  Xattrs xattrs;
};

// The overlayfs attributes the layer writer reads: its own markers, never stored.
constexpr const char* kOverlayOpaque = "trusted.overlay.opaque";
constexpr const char* kOverlayWhiteout = "trusted.overlay.whiteout";
constexpr const char* kOverlayRedirect = "trusted.overlay.redirect";
constexpr const char* kOverlayMetacopy = "trusted.overlay.metacopy";

class TreeWriter {
 public:
  // cp: a plain tree to out_fd.
  explicit TreeWriter(int out_fd) : TreeWriter() {
    if (la_.archive_write_open_fd(a_, out_fd) != ARCHIVE_OK) fail("open tar stream");
  }
  // A layer to sink, ending at the archive's end blocks (no padding to a record size).
  TreeWriter(const TarSink& sink, const LayerTarOptions& opts) : TreeWriter() {
    sink_ = &sink;
    layer_ = true;
    opts_ = opts;
    if (la_.archive_write_set_bytes_in_last_block(a_, 1) != ARCHIVE_OK ||
        la_.archive_write_open(a_, this, nullptr, &TreeWriter::write_cb, nullptr) != ARCHIVE_OK)
      fail("open tar stream");
  }
  ~TreeWriter() { la_.archive_write_free(a_); }
  TreeWriter(const TreeWriter&) = delete;
  TreeWriter& operator=(const TreeWriter&) = delete;

  void add(int parent, const std::string& name, const std::string& archive_name);
  // Adds every entry of the directory open at dir (not the directory itself).
  void add_contents(int dir, const std::string& prefix);
  void close() {
    if (la_.archive_write_close(a_) != ARCHIVE_OK) fail("finish tar stream");
  }

 private:
  TreeWriter() : la_(archive_lib()), a_(la_.archive_write_new()) {
    if (!a_) throw Error("libarchive: out of memory");
    if (la_.archive_write_set_format_pax_restricted(a_) != ARCHIVE_OK) fail("open tar stream");
  }
  [[noreturn]] void fail(const std::string& what) {
    if (sink_error_) std::rethrow_exception(sink_error_);
    throw Error(what + ": " + archive_error(a_));
  }
  static la_ssize_t write_cb(struct archive*, void* self, const void* buf, size_t len);
  void header(const std::string& archive_name, struct stat st, const HeaderExtras& x = {});
  void data(int fd, off_t size, const std::string& archive_name);
  void children(int dir_fd, const std::string& archive_name);
  void add_layer_entry(int parent, const std::string& name, const std::string& archive_name);
  void whiteout(const std::string& archive_name, const std::string& name, struct stat st);
  bool hardlinked(const std::string& archive_name, const struct stat& st);
  Xattrs read_xattrs(int fd, const std::string& archive_name);

  const ArchiveLib& la_;
  struct archive* a_;
  const TarSink* sink_ = nullptr;
  std::exception_ptr sink_error_;
  bool layer_ = false;
  LayerTarOptions opts_;
  std::map<std::pair<dev_t, ino_t>, std::string> inodes_;  // first name of each linked inode
};

la_ssize_t TreeWriter::write_cb(struct archive*, void* self, const void* buf, size_t len) {
  auto* w = static_cast<TreeWriter*>(self);
  // No exception may cross libarchive's C frames: it is kept and rethrown by fail().
  try {
    (*w->sink_)(buf, len);
  } catch (...) {
    w->sink_error_ = std::current_exception();
    return -1;
  }
  return static_cast<la_ssize_t>(len);
}

void TreeWriter::header(const std::string& archive_name, struct stat st, const HeaderExtras& x) {
  if (opts_.clamp_mtime && st.st_mtim.tv_sec >= *opts_.clamp_mtime &&
      (st.st_mtim.tv_sec > *opts_.clamp_mtime || st.st_mtim.tv_nsec > 0))
    st.st_mtim = {*opts_.clamp_mtime, 0};
  std::unique_ptr<archive_entry, void (*)(archive_entry*)> e(la_.archive_entry_new(),
                                                             la_.archive_entry_free);
  if (!e) throw Error("libarchive: out of memory");
  la_.archive_entry_set_pathname(e.get(), archive_name.c_str());
  la_.archive_entry_set_filetype(e.get(), st.st_mode & S_IFMT);
  la_.archive_entry_set_perm(e.get(), st.st_mode & 07777);
  la_.archive_entry_set_uid(e.get(), st.st_uid);
  la_.archive_entry_set_gid(e.get(), st.st_gid);
  la_.archive_entry_set_mtime(e.get(), st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
  const bool has_data = S_ISREG(st.st_mode) && x.hardlink.empty();
  la_.archive_entry_set_size(e.get(), has_data ? st.st_size : 0);
  if (S_ISLNK(st.st_mode)) la_.archive_entry_set_symlink(e.get(), x.symlink.c_str());
  if (!x.hardlink.empty()) la_.archive_entry_set_hardlink(e.get(), x.hardlink.c_str());
  if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) {
    la_.archive_entry_set_rdevmajor(e.get(), major(st.st_rdev));
    la_.archive_entry_set_rdevminor(e.get(), minor(st.st_rdev));
  }
  for (const auto& [k, v] : x.xattrs)
    la_.archive_entry_xattr_add_entry(e.get(), k.c_str(), v.data(), v.size());
  if (la_.archive_write_header(a_, e.get()) < ARCHIVE_WARN)
    fail("tar entry `" + archive_name + "`");
}

void TreeWriter::data(int fd, off_t size, const std::string& archive_name) {
  // The header promised size bytes: no more are read, however long a container makes the
  // file meanwhile (libarchive pads a file that shrank).
  off_t left = size;
  char buf[64 * 1024];
  while (left > 0) {
    ssize_t n = ::read(fd, buf, static_cast<size_t>(std::min<off_t>(left, sizeof buf)));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_errno("read", archive_name, errno);
    if (n == 0) return;
    left -= n;
    if (la_.archive_write_data(a_, buf, static_cast<size_t>(n)) < 0)
      fail("tar entry `" + archive_name + "`");
  }
}

void TreeWriter::children(int dir_fd, const std::string& archive_name) {
  // A new open file description: reading the directory moves no offset the caller shares.
  UniqueFd fd(::openat(dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd) throw_errno("open", archive_name.empty() ? "." : archive_name, errno);
  std::unique_ptr<DIR, int (*)(DIR*)> d(::fdopendir(fd.get()), ::closedir);
  if (!d) throw_errno("opendir", archive_name, errno);
  fd.release();  // d owns it now
  std::vector<std::string> names;
  while (dirent* e = ::readdir(d.get())) {
    std::string n = e->d_name;
    if (n != "." && n != "..") names.push_back(n);
  }
  std::sort(names.begin(), names.end());
  const std::string prefix = archive_name.empty() ? "" : archive_name + "/";
  for (const auto& n : names) {
    if (layer_) {
      add_layer_entry(::dirfd(d.get()), n, prefix + n);
    } else {
      add(::dirfd(d.get()), n, prefix + n);
    }
  }
}

// The entry is opened once (O_PATH, tree_entry.h): its header, and the data or children that
// follow it, all come from that fd, so what the header says is what is read.
void TreeWriter::add(int parent, const std::string& name, const std::string& archive_name) {
  TreeEntry entry = open_tree_entry(parent, name);
  if (!entry.fd) throw_errno("lstat", archive_name, errno);
  const struct stat& st = entry.st;
  if (S_ISSOCK(st.st_mode)) return;
  HeaderExtras x;
  if (S_ISLNK(st.st_mode)) x.symlink = read_tree_link(entry, archive_name);
  header(archive_name, st, x);
  if (S_ISREG(st.st_mode))
    data(open_tree_file(entry, archive_name).get(), st.st_size, archive_name);
  if (S_ISDIR(st.st_mode)) children(open_tree_dir(entry, archive_name).get(), archive_name);
}

void TreeWriter::add_contents(int dir, const std::string& prefix) {
  children(dir, prefix);
}

Xattrs TreeWriter::read_xattrs(int fd, const std::string& archive_name) {
  Xattrs out;
  std::string names(1024, '\0');
  ssize_t n;
  while ((n = ::flistxattr(fd, names.data(), names.size())) < 0 && errno == ERANGE)
    names.resize(names.size() * 4);
  if (n < 0) {
    if (errno == ENOTSUP) return out;
    throw_errno("listxattr", archive_name, errno);
  }
  for (size_t i = 0; i < static_cast<size_t>(n);) {
    std::string name(names.c_str() + i);
    i += name.size() + 1;
    std::string value(256, '\0');
    ssize_t len;
    while ((len = ::fgetxattr(fd, name.c_str(), value.data(), value.size())) < 0 && errno == ERANGE)
      value.resize(value.size() * 4);
    if (len < 0 && errno == ENODATA) continue;  // removed meanwhile
    if (len < 0) throw_errno("getxattr " + name, archive_name, errno);
    value.resize(static_cast<size_t>(len));
    out.emplace(std::move(name), std::move(value));
  }
  return out;
}

void TreeWriter::whiteout(const std::string& archive_name, const std::string& name,
                          struct stat st) {
  // Docker's overlay whiteout converter: an empty regular file, 0600, the node's owner.
  st.st_mode = S_IFREG | 0600;
  st.st_size = 0;
  const size_t slash = archive_name.rfind('/');
  const std::string dir = slash == std::string::npos ? "" : archive_name.substr(0, slash + 1);
  header(dir + ".wh." + name, st);
}

// A second name of an inode already in the archive becomes a hardlink entry to the first.
bool TreeWriter::hardlinked(const std::string& archive_name, const struct stat& st) {
  if (S_ISDIR(st.st_mode) || st.st_nlink < 2) return false;
  auto [it, inserted] = inodes_.try_emplace({st.st_dev, st.st_ino}, archive_name);
  if (inserted) return false;
  HeaderExtras x;
  x.hardlink = it->second;
  header(archive_name, st, x);
  return true;
}

void TreeWriter::add_layer_entry(int parent, const std::string& name,
                                 const std::string& archive_name) {
  TreeEntry entry = open_tree_entry(parent, name);
  // An entry removed since the directory was read (a running container not paused).
  if (!entry.fd && errno == ENOENT) return;
  if (!entry.fd) throw_errno("lstat", archive_name, errno);
  const struct stat& st = entry.st;
  if (S_ISCHR(st.st_mode) && st.st_rdev == 0) return whiteout(archive_name, name, st);
  if (S_ISSOCK(st.st_mode)) return;
  if (name.starts_with(".wh.")) {
    // An ordinary file named ".wh.*" would read back as a whiteout: OCI layers cannot hold it.
    spdlog::warn("layer: skipping `{}`: a name beginning with .wh. is a whiteout in a layer",
                 archive_name);
    return;
  }
  if (S_ISREG(st.st_mode) && st.st_size == 0 &&
      std::find(opts_.placeholders.begin(), opts_.placeholders.end(), archive_name) !=
          opts_.placeholders.end())
    return;
  HeaderExtras x;
  UniqueFd fd;
  if (S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)) {
    fd = S_ISREG(st.st_mode) ? open_tree_file(entry, archive_name)
                             : open_tree_dir(entry, archive_name);
    x.xattrs = read_xattrs(fd.get(), archive_name);
    if (x.xattrs.count(kOverlayRedirect) || x.xattrs.count(kOverlayMetacopy))
      throw Error("layer entry `" + archive_name +
                  "`: overlay redirect or metacopy attribute (redirect_dir or metacopy is on): "
                  "not a plain diff");
    if (S_ISREG(st.st_mode) && x.xattrs.count(kOverlayWhiteout))
      return whiteout(archive_name, name, st);
  }
  const bool opaque =
      S_ISDIR(st.st_mode) && x.xattrs.count(kOverlayOpaque) && x.xattrs[kOverlayOpaque] == "y";
  std::erase_if(x.xattrs, [](const auto& kv) {
    return !layer_xattr_allowed(kv.first) || kv.first == "security.selinux";
  });
  if (hardlinked(archive_name, st)) return;
  if (S_ISLNK(st.st_mode)) x.symlink = read_tree_link(entry, archive_name);
  header(archive_name, st, x);
  if (S_ISREG(st.st_mode)) data(fd.get(), st.st_size, archive_name);
  if (!S_ISDIR(st.st_mode)) return;
  if (opaque) {
    struct stat marker = st;
    marker.st_mode = S_IFREG | (st.st_mode & 0777);
    marker.st_size = 0;
    header(archive_name + "/.wh..wh..opq", marker);
  }
  children(fd.get(), archive_name);
}

}  // namespace

void write_tree_tar(int parent_fd, const std::string& name, const std::string& archive_name,
                    int out_fd) {
  TreeWriter w(out_fd);
  w.add(parent_fd, name, archive_name);
  w.close();
}

void write_layer_tar(int dir_fd, const LayerTarOptions& opts, const TarSink& sink) {
  TreeWriter w(sink, opts);
  w.add_contents(dir_fd, "");
  w.close();
}

}  // namespace berth::engine::image
