#include "engine/image/layer_extract.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <vector>

#include "common/error.h"
#include "engine/image/tar_rules.h"
#include "sys/unique_fd.h"

namespace berth::engine::image {

namespace {

using sys::UniqueFd;

[[noreturn]] void refuse(const std::string& entry, const std::string& why) {
  throw Error("layer entry `" + entry + "`: " + why);
}

// Removes name below dirfd and, for a directory, everything in it; never follows links.
void remove_at(int dirfd, const std::string& name) {
  if (::unlinkat(dirfd, name.c_str(), 0) == 0 || errno == ENOENT) return;
  if (errno != EISDIR && errno != EPERM) throw_errno("unlink", name, errno);
  int fd = ::openat(dirfd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) throw_errno("open", name, errno);
  DIR* d = ::fdopendir(fd);
  if (!d) {
    ::close(fd);
    throw_errno("fdopendir", name, errno);
  }
  std::vector<std::string> children;
  while (dirent* e = ::readdir(d)) {
    std::string n = e->d_name;
    if (n != "." && n != "..") children.push_back(n);
  }
  try {
    for (auto& c : children) remove_at(::dirfd(d), c);
  } catch (...) {
    ::closedir(d);
    throw;
  }
  ::closedir(d);
  if (::unlinkat(dirfd, name.c_str(), AT_REMOVEDIR) < 0) throw_errno("rmdir", name, errno);
}

// What the tarball becomes: an image layer, or files copied into a container's directory.
enum class Target {
  // OCI whiteouts become overlayfs ones; symlink targets are data, stored as they are (a
  // relative one may climb: it resolves against the container's root once mounted).
  kLayer,
  // `cp -`: ".wh." names are ordinary entries; a symlink may not name anything outside the
  // directory, as Docker's `cp` refuses.
  kCopyIn,
};

class Extractor {
 public:
  // root: the directory to extract into (owned).
  Extractor(UniqueFd root, struct archive* tar, Target target,
            std::optional<TarOwner> owner = std::nullopt)
      : tar_(tar), root_(std::move(root)), target_(target), owner_(owner) {
    is_root_ = ::geteuid() == 0;
  }

  void run();
  int64_t size() const { return size_; }

 private:
  struct DirTime {
    std::vector<std::string> path;
    timespec mtime;
  };

  void entry(struct archive_entry* e);
  UniqueFd open_dir(const std::vector<std::string>& path, size_t n, bool create,
                    const std::string& entry);
  void prepare_slot(int parent, const std::string& base, bool keep_dir);
  void write_file(int parent, const std::string& base, struct archive_entry* e,
                  const std::string& entry);
  void make_hardlink(int parent, const std::string& base, const char* target,
                     const std::string& entry);
  void set_owner_mode(int parent, const std::string& base, struct archive_entry* e, bool is_link,
                      const std::string& entry);
  void dir_meta(int fd, struct archive_entry* e, const std::vector<std::string>& path,
                const std::string& entry);
  void make_dir(int parent, const std::vector<std::string>& path, struct archive_entry* e,
                const std::string& entry);
  void make_symlink(int parent, const std::vector<std::string>& path, struct archive_entry* e,
                    const std::string& entry);
  void make_node(int parent, const std::string& base, struct archive_entry* e,
                 const std::string& entry);
  void set_xattrs(int fd, struct archive_entry* e, const std::string& entry);
  void whiteout(int parent, const std::string& base, const std::string& entry);
  void check_chown(int rc, const std::string& entry);
  TarOwner owner_of(struct archive_entry* e) const;

  struct archive* tar_;
  UniqueFd root_;
  Target target_;
  std::optional<TarOwner> owner_;
  bool is_root_ = false;
  int64_t size_ = 0;
  std::vector<DirTime> dirs_;
  // The parent directory of the last entry, kept open: a tar lists a directory's entries
  // together, and walking the path from the root again costs an openat per component. It is
  // dropped when an entry replaces any directory on that path, and at every whiteout.
  std::vector<std::string> parent_path_;
  UniqueFd parent_fd_;
};

UniqueFd Extractor::open_dir(const std::vector<std::string>& path, size_t n, bool create,
                             const std::string& entry) {
  UniqueFd cur(::dup(root_.get()));
  if (!cur) throw_errno("dup", "layer root", errno);
  for (size_t i = 0; i < n; ++i) {
    const char* c = path[i].c_str();
    int fd = ::openat(cur.get(), c, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT && create) {
      if (::mkdirat(cur.get(), c, 0755) < 0) throw_errno("mkdir", entry, errno);
      fd = ::openat(cur.get(), c, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    }
    if (fd < 0) {
      if (errno == ELOOP || errno == ENOTDIR)
        refuse(entry, "path goes through a symlink or non-directory `" + path[i] + "`");
      if (errno == ENOENT) refuse(entry, "`" + path[i] + "` does not exist in the layer");
      throw_errno("open", entry, errno);
    }
    cur.reset(fd);
  }
  return cur;
}

// Makes room for a new entry named base: removes what is there, except that an existing
// directory stays when the new entry is a directory too (tar merges them).
void Extractor::prepare_slot(int parent, const std::string& base, bool keep_dir) {
  struct stat st {};
  if (::fstatat(parent, base.c_str(), &st, AT_SYMLINK_NOFOLLOW) < 0) {
    if (errno == ENOENT) return;
    throw_errno("stat", base, errno);
  }
  if (keep_dir && S_ISDIR(st.st_mode)) return;
  remove_at(parent, base);
}

void Extractor::check_chown(int rc, const std::string& entry) {
  if (rc < 0 && (is_root_ || errno != EPERM)) throw_errno("chown", entry, errno);
}

TarOwner Extractor::owner_of(struct archive_entry* e) const {
  if (owner_) return *owner_;
  const auto& la = archive_lib();
  return {static_cast<uid_t>(la.archive_entry_uid(e)), static_cast<gid_t>(la.archive_entry_gid(e))};
}

void Extractor::set_xattrs(int fd, struct archive_entry* e, const std::string& entry) {
  const auto& la = archive_lib();
  const char* name = nullptr;
  const void* value = nullptr;
  size_t size = 0;
  la.archive_entry_xattr_reset(e);
  while (la.archive_entry_xattr_next(e, &name, &value, &size) == ARCHIVE_OK) {
    if (!name || !layer_xattr_allowed(name)) continue;
    if (::fsetxattr(fd, name, value, size, 0) < 0 && errno != ENOTSUP && errno != EPERM)
      throw_errno("setxattr " + std::string(name), entry, errno);
  }
}

void Extractor::set_owner_mode(int parent, const std::string& base, struct archive_entry* e,
                               bool is_link, const std::string& entry) {
  const auto& la = archive_lib();
  const TarOwner o = owner_of(e);
  check_chown(::fchownat(parent, base.c_str(), o.uid, o.gid, AT_SYMLINK_NOFOLLOW), entry);
  // AT_SYMLINK_NOFOLLOW: in a running container's tree (cp -) a symlink may have replaced the
  // node just made; chmod through it would resolve an absolute target on the host.
  if (!is_link &&
      ::fchmodat(parent, base.c_str(), la.archive_entry_perm(e), AT_SYMLINK_NOFOLLOW) < 0)
    throw_errno("chmod", entry, errno);
  timespec ts[2];
  ts[0].tv_sec = ts[1].tv_sec = la.archive_entry_mtime(e);
  ts[0].tv_nsec = ts[1].tv_nsec = la.archive_entry_mtime_nsec(e);
  if (::utimensat(parent, base.c_str(), ts, AT_SYMLINK_NOFOLLOW) < 0)
    throw_errno("utimensat", entry, errno);
}

void Extractor::write_file(int parent, const std::string& base, struct archive_entry* e,
                           const std::string& entry) {
  const auto& la = archive_lib();
  UniqueFd fd(
      ::openat(parent, base.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (!fd) throw_errno("create", entry, errno);
  char buf[64 * 1024];
  for (;;) {
    la_ssize_t n = la.archive_read_data(tar_, buf, sizeof buf);
    if (n < 0) refuse(entry, archive_error(tar_));
    if (n == 0) break;
    for (const char* p = buf; n > 0;) {
      ssize_t w = ::write(fd.get(), p, static_cast<size_t>(n));
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) throw_errno("write", entry, errno);
      p += w;
      n -= w;
      size_ += w;
    }
  }
  const TarOwner o = owner_of(e);
  check_chown(::fchown(fd.get(), o.uid, o.gid), entry);
  // After chown, which clears set-user-ID bits.
  if (::fchmod(fd.get(), la.archive_entry_perm(e)) < 0) throw_errno("chmod", entry, errno);
  set_xattrs(fd.get(), e, entry);
  timespec ts[2];
  ts[0].tv_sec = ts[1].tv_sec = la.archive_entry_mtime(e);
  ts[0].tv_nsec = ts[1].tv_nsec = la.archive_entry_mtime_nsec(e);
  if (::futimens(fd.get(), ts) < 0) throw_errno("futimens", entry, errno);
}

void Extractor::make_hardlink(int parent, const std::string& base, const char* target,
                              const std::string& entry) {
  std::vector<std::string> tpath;
  try {
    tpath = entry_components(target);
  } catch (const Error& err) {
    refuse(entry, "hardlink target `" + std::string(target) + "`: " + err.what());
  }
  if (tpath.empty()) refuse(entry, "hardlink to the layer root");
  UniqueFd tdir = open_dir(tpath, tpath.size() - 1, false, entry);
  struct stat st {};
  if (::fstatat(tdir.get(), tpath.back().c_str(), &st, AT_SYMLINK_NOFOLLOW) < 0)
    refuse(entry, "hardlink target `" + std::string(target) + "` is not in the layer");
  if (S_ISDIR(st.st_mode)) refuse(entry, "hardlink to a directory");
  if (::linkat(tdir.get(), tpath.back().c_str(), parent, base.c_str(), 0) < 0)
    throw_errno("link", entry, errno);
}

void Extractor::whiteout(int parent, const std::string& base, const std::string& entry) {
  std::string target;
  WhiteoutKind kind;
  try {
    kind = classify_whiteout(base, &target);
  } catch (const Error& err) {
    refuse(entry, err.what());
  }
  if (kind == WhiteoutKind::kOpaque) {
    if (::fsetxattr(parent, "trusted.overlay.opaque", "y", 1, 0) < 0)
      throw_errno("setxattr trusted.overlay.opaque", entry, errno);
  } else if (kind == WhiteoutKind::kFile) {
    prepare_slot(parent, target, false);
    if (::mknodat(parent, target.c_str(), S_IFCHR | 0, ::makedev(0, 0)) < 0)
      throw_errno("mknod whiteout", entry, errno);
  }
}

void Extractor::dir_meta(int fd, struct archive_entry* e, const std::vector<std::string>& path,
                         const std::string& entry) {
  const auto& la = archive_lib();
  const TarOwner o = owner_of(e);
  check_chown(::fchown(fd, o.uid, o.gid), entry);
  if (::fchmod(fd, la.archive_entry_perm(e)) < 0) throw_errno("chmod", entry, errno);
  set_xattrs(fd, e, entry);
  dirs_.push_back({path, {la.archive_entry_mtime(e), la.archive_entry_mtime_nsec(e)}});
}

void Extractor::make_dir(int parent, const std::vector<std::string>& path, struct archive_entry* e,
                         const std::string& entry) {
  const char* base = path.back().c_str();
  if (::mkdirat(parent, base, 0700) < 0 && errno != EEXIST) throw_errno("mkdir", entry, errno);
  UniqueFd d(::openat(parent, base, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!d) throw_errno("open", entry, errno);
  dir_meta(d.get(), e, path, entry);
}

void Extractor::make_symlink(int parent, const std::vector<std::string>& path,
                             struct archive_entry* e, const std::string& entry) {
  const char* target = archive_lib().archive_entry_symlink(e);
  if (!target) refuse(entry, "symlink without a target");
  // Extraction never follows a symlink (parents are opened O_NOFOLLOW, every change is made
  // relative to its parent without following the last component), and the kernel resolves
  // the container's symlinks inside its root. So in a layer any target is harmless data.
  if (target_ == Target::kCopyIn && symlink_escapes(path, target))
    refuse(entry, "symlink to `" + std::string(target) + "` leaves the layer");
  if (::symlinkat(target, parent, path.back().c_str()) < 0) throw_errno("symlink", entry, errno);
  set_owner_mode(parent, path.back(), e, true, entry);
}

void Extractor::make_node(int parent, const std::string& base, struct archive_entry* e,
                          const std::string& entry) {
  const auto& la = archive_lib();
  const mode_t type = la.archive_entry_filetype(e);
  dev_t dev = type == AE_IFIFO
                  ? 0
                  : ::makedev(la.archive_entry_rdevmajor(e), la.archive_entry_rdevminor(e));
  if (::mknodat(parent, base.c_str(), type | 0600, dev) < 0) throw_errno("mknod", entry, errno);
  set_owner_mode(parent, base, e, false, entry);
}

void Extractor::entry(struct archive_entry* e) {
  const auto& la = archive_lib();
  const char* raw = la.archive_entry_pathname(e);
  if (!raw) raw = la.archive_entry_pathname_utf8(e);
  if (!raw) throw Error("layer entry with an unreadable name");
  const std::string entry = raw;
  std::vector<std::string> path;
  try {
    path = entry_components(entry);
  } catch (const Error& err) {
    refuse(entry, err.what());
  }
  const mode_t type = la.archive_entry_filetype(e);
  const char* hardlink = la.archive_entry_hardlink(e);
  if (path.empty()) {
    if (hardlink || type != AE_IFDIR) refuse(entry, "the layer root must be a directory");
    return dir_meta(root_.get(), e, path, entry);
  }
  const std::string& base = path.back();
  const bool is_whiteout = target_ == Target::kLayer && base.rfind(".wh.", 0) == 0;
  // This entry may replace a directory on the cached path: then the cache goes.
  if (is_whiteout || (path.size() <= parent_path_.size() &&
                      std::equal(path.begin(), path.end(), parent_path_.begin()))) {
    parent_path_.clear();
    parent_fd_.reset();
  }
  if (!parent_fd_ || parent_path_.size() != path.size() - 1 ||
      !std::equal(parent_path_.begin(), parent_path_.end(), path.begin())) {
    parent_fd_ = open_dir(path, path.size() - 1, true, entry);
    parent_path_.assign(path.begin(), path.end() - 1);
  }
  const int parent = parent_fd_.get();
  if (is_whiteout) {
    whiteout(parent, base, entry);
    parent_path_.clear();
    parent_fd_.reset();
    return;
  }
  prepare_slot(parent, base, !hardlink && type == AE_IFDIR);
  if (hardlink) return make_hardlink(parent, base, hardlink, entry);
  switch (type) {
    case AE_IFREG:
      return write_file(parent, base, e, entry);
    case AE_IFDIR:
      return make_dir(parent, path, e, entry);
    case AE_IFLNK:
      return make_symlink(parent, path, e, entry);
    case AE_IFCHR:
    case AE_IFBLK:
    case AE_IFIFO:
      return make_node(parent, base, e, entry);
    default:
      return;  // sockets and unknown types are not part of a filesystem image
  }
}

void Extractor::run() {
  const auto& la = archive_lib();
  struct archive_entry* e = nullptr;
  for (;;) {
    int rc = la.archive_read_next_header(tar_, &e);
    if (rc == ARCHIVE_EOF) break;
    if (rc < ARCHIVE_WARN) throw Error("read layer: " + archive_error(tar_));
    entry(e);
  }
  // Directory times last: creating entries inside a directory changes its mtime.
  for (auto it = dirs_.rbegin(); it != dirs_.rend(); ++it) {
    UniqueFd d;
    try {
      d = open_dir(it->path, it->path.size(), false, join_components(it->path));
    } catch (const Error&) {
      continue;  // a later entry replaced the directory (or a parent) with a non-directory
    }
    timespec ts[2] = {it->mtime, it->mtime};
    if (::futimens(d.get(), ts) < 0) throw_errno("futimens", join_components(it->path), errno);
  }
}

}  // namespace

ExtractResult extract_layer(int fd, const std::filesystem::path& dir) {
  UniqueFd root(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!root) throw_errno("open", dir.string(), errno);
  LayerStream stream(fd);
  Extractor x(std::move(root), stream.tar(), Target::kLayer);
  x.run();
  ExtractResult r;
  r.diff_id = stream.finish();
  r.size = x.size();
  r.compression = stream.compression();
  return r;
}

}  // namespace berth::engine::image

namespace berth::engine::image {

int64_t extract_tar_at(int fd, int dirfd, const CopyInOptions& options) {
  UniqueFd root(::fcntl(dirfd, F_DUPFD_CLOEXEC, 0));
  if (!root) throw_errno("dup", "extraction directory", errno);
  LayerStream stream(fd, options.bzip2);
  Extractor x(std::move(root), stream.tar(), Target::kCopyIn, options.owner);
  x.run();
  return x.size();
}

}  // namespace berth::engine::image
