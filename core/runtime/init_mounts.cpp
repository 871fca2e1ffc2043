#include "core/runtime/init_mounts.h"

#include <fcntl.h>
#include <limits.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "sys/syscalls.h"

namespace berth::core::runtime {

namespace {

unsigned long propagation_flag(const std::string& p) {
  if (p == "slave" || p == "rslave") return MS_SLAVE;
  if (p == "shared" || p == "rshared") return MS_SHARED;
  return MS_PRIVATE;
}

size_t depth(const std::string& rel) {
  return rel.empty() ? 0 : static_cast<size_t>(std::count(rel.begin(), rel.end(), '/')) + 1;
}

// --- init side: no allocation from here on ---

bool failed(MountFailure* f, const char* op, const char* subject, int err) {
  f->op = op;
  f->subject = subject;
  f->err = err;
  return false;
}

int open_resolved(int root, const char* path, bool dir) {
  open_how how{};
  how.flags = O_PATH | O_CLOEXEC | (dir ? O_DIRECTORY : 0);
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
  return sys::openat2(root, path, &how);
}

// The name `name` is missing in `parent` (as resolved): create it there, as a directory or an
// empty file, and open it without following anything. A symlink by that name is a dangling
// symlink: refused, it would point the mount somewhere we did not resolve.
int create_in(int parent, const char* name, bool dir, const char* shown, MountFailure* f) {
  struct stat st {};
  if (::fstatat(parent, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode)) {
    failed(f, "mount target is a dangling symlink", shown, ENOENT);
    return -1;
  }
  int rc = dir ? ::mkdirat(parent, name, 0755)
               : ::openat(parent, name, O_CREAT | O_EXCL | O_NOFOLLOW | O_WRONLY | O_CLOEXEC, 0644);
  if (rc < 0 && errno != EEXIST) {
    failed(f, dir ? "mkdir" : "create", shown, errno);
    return -1;
  }
  if (!dir && rc >= 0) ::close(rc);
  open_how how{};
  how.flags = O_PATH | O_CLOEXEC | (dir ? O_DIRECTORY : 0);
  how.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH;
  int fd = sys::openat2(parent, name, &how);
  if (fd < 0) failed(f, "open mount target", shown, -fd);
  return fd;
}

// Resolves `rel` (components separated by single "/") inside `root`, one prefix at a time, so
// each missing component is created in the directory its parent resolved to.
int resolve_target(int root, const InitMount& m, MountFailure* f) {
  char prefix[PATH_MAX];
  size_t len = std::strlen(m.target);
  if (len >= sizeof prefix) return failed(f, "mount target", m.target, ENAMETOOLONG), -1;
  int parent = ::fcntl(root, F_DUPFD_CLOEXEC, 0);
  if (parent < 0) return failed(f, "dup", "rootfs", errno), -1;
  if (len == 0) return parent;  // the container's "/"
  size_t start = 0;
  while (start <= len) {
    size_t end = start;
    while (end < len && m.target[end] != '/') ++end;
    bool last = end == len;
    bool dir = !last || !m.file;
    std::memcpy(prefix, m.target, end);
    prefix[end] = '\0';
    int fd = open_resolved(root, prefix, dir);
    if (fd == -ENOENT) {
      char name[NAME_MAX + 1];
      size_t nlen = std::min(end - start, sizeof name - 1);
      std::memcpy(name, m.target + start, nlen);
      name[nlen] = '\0';
      fd = create_in(parent, name, dir, m.target, f);
      if (fd < 0) {
        ::close(parent);
        return -1;
      }
    } else if (fd < 0) {
      ::close(parent);
      return failed(f, "open mount target", m.target, -fd), -1;
    }
    ::close(parent);
    parent = fd;
    start = end + 1;
  }
  return parent;
}

bool mount_bind(const InitMount& m, int target, MountFailure* f) {
  int tree = ::open_tree(AT_FDCWD, m.source, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
  if (tree < 0) return failed(f, "bind mount source", m.source, errno);
  mount_attr attr{};
  if (m.readonly) attr.attr_set = MOUNT_ATTR_RDONLY;
  attr.propagation = m.propagation;
  bool ok = true;
  if (::mount_setattr(tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr) < 0)
    ok = failed(f, "set mount attributes", m.source, errno);
  if (ok &&
      ::move_mount(tree, "", target, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
    ok = failed(f, "mount", m.target, errno);
  ::close(tree);
  return ok;
}

bool mount_tmpfs(const InitMount& m, int target, MountFailure* f) {
  char path[32];
  proc_fd_path(path, target);
  if (::mount("tmpfs", path, "tmpfs", m.flags, m.data) < 0)
    return failed(f, "mount tmpfs", m.target, errno);
  return true;
}

}  // namespace

const char* proc_fd_path(char (&buf)[32], int fd) noexcept {
  static const char kPrefix[] = "/proc/self/fd/";
  std::memcpy(buf, kPrefix, sizeof kPrefix);
  char digits[12];
  int k = 0;
  do {
    digits[k++] = static_cast<char>('0' + fd % 10);
    fd /= 10;
  } while (fd);
  size_t len = sizeof kPrefix - 1;
  while (k > 0) buf[len++] = digits[--k];
  buf[len] = '\0';
  return buf;
}

std::string relative_target(const std::string& target) {
  std::string out;
  size_t i = 0;
  while (i < target.size()) {
    size_t j = target.find('/', i);
    if (j == std::string::npos) j = target.size();
    std::string part = target.substr(i, j - i);
    if (!part.empty() && part != ".") out += (out.empty() ? "" : "/") + part;
    i = j + 1;
  }
  return out;
}

InitMounts::InitMounts(const std::vector<MountSpec>& specs) : specs_(specs) {
  // Parents before children: a stable sort on the target's depth (Docker sorts the same way).
  std::stable_sort(specs_.begin(), specs_.end(), [](const MountSpec& a, const MountSpec& b) {
    return depth(relative_target(a.target)) < depth(relative_target(b.target));
  });
  targets_.reserve(specs_.size());
  for (const auto& s : specs_) targets_.push_back(relative_target(s.target));
  for (size_t i = 0; i < specs_.size(); ++i) {
    const MountSpec& s = specs_[i];
    InitMount m;
    m.bind = s.type == MountSpec::Type::kBind;
    m.readonly = s.readonly;
    m.target = targets_[i].c_str();
    if (m.bind) {
      struct stat st {};
      m.file = ::stat(s.source.c_str(), &st) == 0 && !S_ISDIR(st.st_mode);
      m.source = s.source.c_str();
      m.propagation = propagation_flag(s.propagation);
    } else {
      m.flags = s.flags | (s.readonly ? MS_RDONLY : 0);
      m.data = s.data.c_str();
    }
    mounts_.push_back(m);
  }
}

bool apply_mounts(const char* rootfs, const InitMount* mounts, size_t n, MountFailure* f) {
  if (n == 0) return true;
  int root = ::open(rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (root < 0) return failed(f, "open", rootfs, errno);
  bool ok = true;
  for (size_t i = 0; ok && i < n; ++i) {
    int target = resolve_target(root, mounts[i], f);
    if (target < 0) {
      ok = false;
      break;
    }
    ok = mounts[i].bind ? mount_bind(mounts[i], target, f) : mount_tmpfs(mounts[i], target, f);
    ::close(target);
  }
  ::close(root);
  return ok;
}

}  // namespace berth::core::runtime
