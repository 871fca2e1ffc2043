#include "engine/lifecycle/container_cp.h"

#include <fcntl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <functional>

#include "common/child_process.h"
#include "common/error.h"
#include "common/private_root.h"
#include "core/state/container_store.h"
#include "engine/image/archive_lib.h"
#include "engine/image/layer_extract.h"
#include "engine/image/tree_entry.h"
#include "engine/image/tree_tar.h"
#include "engine/lifecycle/container_start.h"
#include "sys/syscalls.h"
#include "sys/unique_fd.h"

namespace berth::engine::lifecycle {

namespace fs = std::filesystem;
using sys::UniqueFd;

namespace {

// One end of a copy: the host (paths as given) or a container root (paths resolved in it).
struct Side {
  int root = AT_FDCWD;
  bool in_root = false;
};

UniqueFd open_path(const Side& s, std::string path, uint64_t flags) {
  open_how how{};
  how.flags = flags | O_CLOEXEC;
  if (s.in_root) {
    how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
    while (!path.empty() && path.front() == '/') path.erase(0, 1);
  }
  if (path.empty()) path = s.in_root ? "." : "/";
  return UniqueFd(sys::openat2(s.root, path.c_str(), &how));
}

// "a/b/" → {"a", "b"}; "/" → {"/", ""}.
std::pair<std::string, std::string> split(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return {".", path};
  if (path == "/") return {"/", ""};
  return {slash == 0 ? "/" : path.substr(0, slash), path.substr(slash + 1)};
}

// Copies at most size bytes (the size the file had when its type was checked): a file that a
// container keeps growing cannot keep cp busy forever.
void copy_bytes(int from, int to, off_t size, const std::string& name) {
  for (off_t left = size; left > 0;) {
    ssize_t n = ::sendfile(to, from, nullptr, static_cast<size_t>(std::min<off_t>(left, 1 << 20)));
    if (n == 0) return;
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_errno("copy", name, errno);
    left -= n;
  }
}

// Where a copy writes: a directory fd, and whether it lies in a container (whose entries are
// replaced, never opened for writing) or on the host (the user's own files, written in place).
struct Dest {
  int dir;
  bool in_container;
};

void copy_entry(const image::TreeEntry& src, const std::string& sname, const Dest& d,
                const std::string& dname);

void copy_contents(int sdir, const Dest& d) {
  for (const auto& n : image::list_tree_dir(sdir)) {
    image::TreeEntry e = image::open_tree_entry(sdir, n);
    if (!e.fd) throw_errno("lstat", n, errno);
    copy_entry(e, n, d, n);
  }
}

void copy_dir(const image::TreeEntry& src, const std::string& sname, const Dest& d,
              const std::string& dname) {
  if (::mkdirat(d.dir, dname.c_str(), 0700) < 0 && errno != EEXIST)
    throw_errno("mkdir", dname, errno);
  // O_DIRECTORY fails on anything but a directory before any driver's open runs.
  UniqueFd dst(::openat(d.dir, dname.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!dst) throw_errno("cannot overwrite non-directory with directory", dname, errno);
  UniqueFd s = image::open_tree_dir(src, sname);
  copy_contents(s.get(), Dest{dst.get(), d.in_container});
  ::fchmod(dst.get(), src.st.st_mode & 07777);
}

// A new regular file dname below a container directory. What is there is replaced, as
// Docker's tar extraction does, and never opened: a device node or fifo the container made
// there is neither written through nor waited on, a symlink never followed. Only a mount
// point (a bind-mounted file) cannot be replaced; a regular file there is rewritten in place
// through the fd its type was checked on.
UniqueFd replace_in_container(int ddir, const std::string& dname, mode_t mode) {
  constexpr int kCreate = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;
  UniqueFd dst(::openat(ddir, dname.c_str(), kCreate, mode & 0777));
  if (dst || errno != EEXIST) return dst;
  image::TreeEntry old = image::open_tree_entry(ddir, dname);
  if (old.fd && S_ISDIR(old.st.st_mode))
    throw Error("cannot overwrite directory " + dname + " with non-directory");
  if (::unlinkat(ddir, dname.c_str(), 0) < 0) {
    if (errno == EBUSY && old.fd && S_ISREG(old.st.st_mode))
      return image::open_tree_file(old, dname, O_WRONLY | O_TRUNC);
    throw_errno("replace", dname, errno);
  }
  // EEXIST again means the container made a new entry in between: refused, never opened.
  dst.reset(::openat(ddir, dname.c_str(), kCreate, mode & 0777));
  return dst;
}

// The host file dname, written in place; a symlink there is replaced, never written through.
UniqueFd create_on_host(int ddir, const std::string& dname, mode_t mode) {
  constexpr int kCreate = O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC;
  UniqueFd dst(::openat(ddir, dname.c_str(), kCreate, mode & 0777));
  if (!dst && errno == ELOOP) {
    ::unlinkat(ddir, dname.c_str(), 0);
    dst.reset(::openat(ddir, dname.c_str(), kCreate, mode & 0777));
  }
  return dst;
}

void copy_file(const image::TreeEntry& src, const std::string& sname, const Dest& d,
               const std::string& dname) {
  UniqueFd in = image::open_tree_file(src, sname);
  const mode_t mode = src.st.st_mode;
  UniqueFd dst = d.in_container ? replace_in_container(d.dir, dname, mode)
                                : create_on_host(d.dir, dname, mode);
  if (!dst) throw_errno("create", dname, errno);
  copy_bytes(in.get(), dst.get(), src.st.st_size, sname);
  ::fchmod(dst.get(), mode & 07777);
}

// src is the entry's O_PATH fd: its type, checked here, is the type of what is copied.
void copy_entry(const image::TreeEntry& src, const std::string& sname, const Dest& d,
                const std::string& dname) {
  if (S_ISDIR(src.st.st_mode)) return copy_dir(src, sname, d, dname);
  if (S_ISREG(src.st.st_mode)) return copy_file(src, sname, d, dname);
  if (S_ISLNK(src.st.st_mode)) {
    const std::string target = image::read_tree_link(src, sname);
    ::unlinkat(d.dir, dname.c_str(), 0);
    if (::symlinkat(target.c_str(), d.dir, dname.c_str()) < 0) throw_errno("symlink", dname, errno);
  }
  // Devices, fifos and sockets are not copied.
}

// Docker's placement rules, from src on one side to dst on the other.
void copy_between(const Side& from, const std::string& src, const Side& to, const std::string& dst,
                  const std::string& where) {
  const bool contents_only = src.ends_with("/.");
  auto [sparent, sbase] = split(contents_only ? src.substr(0, src.size() - 2) : src);
  UniqueFd sdir = open_path(from, sparent, O_PATH | O_DIRECTORY);
  if (!sdir) throw Error("Could not find the file " + src + where);
  if (sbase.empty()) sbase = ".";  // the whole root
  image::TreeEntry s = image::open_tree_entry(sdir.get(), sbase);
  if (!s.fd) throw Error("Could not find the file " + src + where);
  const bool is_dir = S_ISDIR(s.st.st_mode);
  UniqueFd ddir = open_path(to, dst, O_PATH | O_DIRECTORY);
  if (ddir) {
    const Dest d{ddir.get(), to.in_root};
    if (is_dir && (contents_only || sbase == ".")) {
      UniqueFd contents = image::open_tree_dir(s, src);
      return copy_contents(contents.get(), d);
    }
    return copy_entry(s, sbase, d, sbase);
  }
  auto [dparent, dbase] = split(dst);
  UniqueFd dp = open_path(to, dparent, O_PATH | O_DIRECTORY);
  if (!dp) throw Error("destination directory " + dparent + " does not exist");
  if (dst.ends_with('/') && !is_dir)
    throw Error("destination directory " + dst + " does not exist");
  struct stat existing {};
  if (is_dir && ::fstatat(dp.get(), dbase.c_str(), &existing, AT_SYMLINK_NOFOLLOW) == 0 &&
      !S_ISDIR(existing.st_mode))
    throw Error("cannot copy a directory to a file: " + dst);
  copy_entry(s, sbase, Dest{dp.get(), to.in_root}, dbase);
}

// Runs fn with an fd on the container's root directory: /proc/<init>/root while it runs, or
// its overlay mounted by a child process in a private mount namespace.
void with_root(const Paths& paths, const std::string& ref, const std::function<void(int)>& fn) {
  core::state::ContainerStore store(paths);
  const core::state::Container c = store.find(ref);
  if (c.running() && c.state.pid > 0) {
    UniqueFd root(::open(("/proc/" + std::to_string(c.state.pid) + "/root").c_str(),
                         O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (root && store.monitor_alive(c.id())) return fn(root.get());
  }
  const fs::path dir = store.dir(c.id());
  const RootLayers layers{build_spec(paths, c, Attach{}).lowerdirs, (dir / "upper").string(),
                          (dir / "work").string()};
  for (const char* d : {"upper", "work", "rootfs"}) ::mkdir((dir / d).c_str(), 0755);
  const std::string mnt = (dir / "rootfs").string();
  run_in_child([&] { fn(mount_private_root(layers, mnt).get()); }, "cp", "cp: copy process failed");
}

}  // namespace

void copy_from_container(const Paths& paths, const std::string& ref, const std::string& src,
                         const std::string& dst) {
  with_root(paths, ref, [&](int root) {
    copy_between(Side{root, true}, src, Side{}, dst, " in container " + ref);
  });
}

void copy_to_container(const Paths& paths, const std::string& ref, const std::string& src,
                       const std::string& dst) {
  with_root(paths, ref, [&](int root) { copy_between(Side{}, src, Side{root, true}, dst, ""); });
}

void copy_from_container_tar(const Paths& paths, const std::string& ref, const std::string& src,
                             int out_fd) {
  image::archive_lib();  // loaded before a child process may be forked
  with_root(paths, ref, [&](int root) {
    const bool contents_only = src.ends_with("/.");
    auto [parent, base] = split(contents_only ? src.substr(0, src.size() - 2) : src);
    UniqueFd dir = open_path(Side{root, true}, parent, O_PATH | O_DIRECTORY);
    struct stat st {};
    if (base.empty()) base = ".";
    if (!dir || ::fstatat(dir.get(), base.c_str(), &st, AT_SYMLINK_NOFOLLOW) < 0)
      throw Error("Could not find the file " + src + " in container " + ref);
    image::write_tree_tar(dir.get(), base, contents_only || base == "." ? "." : base, out_fd);
  });
}

void copy_tar_to_container(const Paths& paths, const std::string& ref, int in_fd,
                           const std::string& dst) {
  image::archive_lib();
  with_root(paths, ref, [&](int root) {
    UniqueFd dir = open_path(Side{root, true}, dst, O_RDONLY | O_DIRECTORY);
    if (!dir && errno == ENOTDIR) throw Error("extraction point is not a directory: " + dst);
    if (!dir) throw Error("Could not find the file " + dst + " in container " + ref);
    try {
      image::extract_tar_at(in_fd, dir.get());
    } catch (const Error& e) {
      throw Error("cp - " + ref + ":" + dst + ": " + e.what());
    }
  });
}

}  // namespace berth::engine::lifecycle
