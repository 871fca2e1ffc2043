#include "core/runtime/cgroup_mount.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "sys/syscalls.h"

namespace berth::core::runtime {

namespace {

constexpr const char* kCgroupDir = "/sys/fs/cgroup";

bool failed(MountFailure* f, const char* op, const char* subject, int err) {
  f->op = op;
  f->subject = subject;
  f->err = err;
  return false;
}

// /sys/fs/cgroup of the sysfs the init just mounted (or what is mounted on it), never
// following a symlink: an O_PATH directory fd, or -errno.
int open_cgroup_dir() {
  open_how how{};
  how.flags = O_PATH | O_DIRECTORY | O_CLOEXEC;
  how.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
  return sys::openat2(AT_FDCWD, kCgroupDir, &how);
}

void close_trees(CgroupTrees* trees) {
  for (int& fd : trees->fds) {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
}

bool mount_v2(const InitCgroupMounts& m, int dir, MountFailure* f) {
  char path[32];
  const unsigned long flags = MS_NOSUID | MS_NODEV | MS_NOEXEC | (m.writable ? 0 : MS_RDONLY);
  if (::mount("cgroup2", proc_fd_path(path, dir), "cgroup2", flags, nullptr) < 0)
    return failed(f, "mount cgroup2", kCgroupDir, errno);
  return true;
}

// The tmpfs is attached at `dir`; `root` is its root, where each hierarchy gets a directory
// with the container's cgroup moved onto it, and each alias a symlink.
bool fill_v1(const InitCgroupMounts& m, CgroupTrees* trees, int root, MountFailure* f) {
  for (size_t i = 0; i < m.n; ++i) {
    if (::mkdirat(root, m.names[i], 0755) < 0) return failed(f, "mkdir", m.names[i], errno);
    int target = ::openat(root, m.names[i], O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (target < 0) return failed(f, "open", m.names[i], errno);
    int rc = ::move_mount(trees->fds[i], "", target, "",
                          MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);
    int err = errno;
    ::close(target);
    if (rc < 0) return failed(f, "mount cgroup", m.names[i], err);
  }
  for (size_t i = 0; i + 1 < 2 * m.nlinks; i += 2)
    if (::symlinkat(m.links[i + 1], root, m.links[i]) < 0)
      return failed(f, "symlink", m.links[i], errno);
  return true;
}

bool mount_v1(const InitCgroupMounts& m, CgroupTrees* trees, int dir, MountFailure* f) {
  char path[32];
  if (::mount("tmpfs", proc_fd_path(path, dir), "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
              "mode=755") < 0)
    return failed(f, "mount tmpfs", kCgroupDir, errno);
  int root = open_cgroup_dir();
  if (root < 0) return failed(f, "open", kCgroupDir, -root);
  bool ok = fill_v1(m, trees, root, f);
  // One call sets the final flags on the tmpfs and every bind under it.
  mount_attr attr{};
  attr.attr_set = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC |
                  (m.writable ? 0 : MOUNT_ATTR_RDONLY);
  if (ok && ::mount_setattr(root, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr) < 0)
    ok = failed(f, "set mount attributes", kCgroupDir, errno);
  ::close(root);
  return ok;
}

}  // namespace

CgroupMountStrings::CgroupMountStrings(const Cgroups& cgroups, const std::string& id,
                                       bool privileged)
    : v2_(cgroups.version() == Cgroups::Version::kV2), writable_(privileged) {
  if (v2_) return;
  const auto dirs = cgroups.paths(id);
  const auto& names = cgroups.controllers();
  for (size_t i = 0; i < dirs.size() && i < names.size() && i < kMaxCgroupMounts; ++i) {
    sources_.push_back(dirs[i].string());
    names_.push_back(names[i]);
  }
  for (const auto& [link, target] : cgroups.aliases()) {
    if (std::find(names_.begin(), names_.end(), target) == names_.end()) continue;
    links_.push_back(link);
    links_.push_back(target);
  }
  for (const auto& s : sources_) source_ptrs_.push_back(s.c_str());
  for (const auto& s : names_) name_ptrs_.push_back(s.c_str());
  for (const auto& s : links_) link_ptrs_.push_back(s.c_str());
}

InitCgroupMounts CgroupMountStrings::plan() const {
  InitCgroupMounts m;
  m.v2 = v2_;
  m.writable = writable_;
  m.sources = source_ptrs_.data();
  m.names = name_ptrs_.data();
  m.n = source_ptrs_.size();
  m.links = link_ptrs_.data();
  m.nlinks = link_ptrs_.size() / 2;
  return m;
}

bool clone_cgroup_trees(const InitCgroupMounts& m, CgroupTrees* trees, MountFailure* f) noexcept {
  for (size_t i = 0; i < m.n && i < kMaxCgroupMounts; ++i) {
    int fd = ::open_tree(AT_FDCWD, m.sources[i], OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
    if (fd < 0) return failed(f, "bind mount cgroup", m.sources[i], errno);
    trees->fds[i] = fd;
  }
  return true;
}

bool mount_cgroup_fs(const InitCgroupMounts& m, CgroupTrees* trees, MountFailure* f) noexcept {
  if (!m.v2 && m.n == 0) return true;
  int dir = open_cgroup_dir();
  if (dir < 0) {
    close_trees(trees);
    return failed(f, "open", kCgroupDir, -dir);
  }
  bool ok = m.v2 ? mount_v2(m, dir, f) : mount_v1(m, trees, dir, f);
  ::close(dir);
  close_trees(trees);
  return ok;
}

}  // namespace berth::core::runtime
