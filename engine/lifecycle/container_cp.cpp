#include "engine/lifecycle/container_cp.h"

#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <functional>

#include "common/error.h"
#include "engine/image/archive_lib.h"
#include "engine/image/layer_extract.h"
#include "engine/image/tree_tar.h"
#include "engine/lifecycle/container_start.h"
#include "engine/state/container_store.h"
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

void copy_bytes(int from, int to, const std::string& name) {
  for (;;) {
    ssize_t n = ::sendfile(to, from, nullptr, 1 << 20);
    if (n == 0) return;
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_errno("copy", name, errno);
  }
}

void copy_entry(int sdir, const std::string& sname, int ddir, const std::string& dname);

void copy_contents(int sdir, int ddir) {
  UniqueFd listing(::openat(sdir, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!listing) throw_errno("open", "directory", errno);
  DIR* d = ::fdopendir(listing.release());
  if (!d) throw_errno("opendir", "directory", errno);
  std::unique_ptr<DIR, int (*)(DIR*)> owner(d, ::closedir);
  std::vector<std::string> names;
  while (dirent* e = ::readdir(d)) {
    std::string n = e->d_name;
    if (n != "." && n != "..") names.push_back(n);
  }
  for (const auto& n : names) copy_entry(sdir, n, ddir, n);
}

void copy_dir(int sdir, const std::string& sname, int ddir, const std::string& dname, mode_t mode) {
  if (::mkdirat(ddir, dname.c_str(), 0700) < 0 && errno != EEXIST)
    throw_errno("mkdir", dname, errno);
  UniqueFd dst(::openat(ddir, dname.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!dst) throw_errno("cannot overwrite non-directory with directory", dname, errno);
  UniqueFd src(::openat(sdir, sname.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!src) throw_errno("open", sname, errno);
  copy_contents(src.get(), dst.get());
  ::fchmod(dst.get(), mode & 07777);
}

void copy_file(int sdir, const std::string& sname, int ddir, const std::string& dname,
               mode_t mode) {
  UniqueFd src(::openat(sdir, sname.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  if (!src) throw_errno("open", sname, errno);
  constexpr int kCreate = O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC;
  UniqueFd dst(::openat(ddir, dname.c_str(), kCreate, mode & 0777));
  if (!dst && errno == ELOOP) {
    // The destination is a symlink: replace the link, never write through it.
    ::unlinkat(ddir, dname.c_str(), 0);
    dst.reset(::openat(ddir, dname.c_str(), kCreate, mode & 0777));
  }
  if (!dst) throw_errno("create", dname, errno);
  copy_bytes(src.get(), dst.get(), sname);
  ::fchmod(dst.get(), mode & 07777);
}

void copy_entry(int sdir, const std::string& sname, int ddir, const std::string& dname) {
  struct stat st {};
  if (::fstatat(sdir, sname.c_str(), &st, AT_SYMLINK_NOFOLLOW) < 0)
    throw_errno("lstat", sname, errno);
  if (S_ISDIR(st.st_mode)) return copy_dir(sdir, sname, ddir, dname, st.st_mode);
  if (S_ISREG(st.st_mode)) return copy_file(sdir, sname, ddir, dname, st.st_mode);
  if (S_ISLNK(st.st_mode)) {
    std::string target(4096, '\0');
    ssize_t n = ::readlinkat(sdir, sname.c_str(), target.data(), target.size());
    if (n < 0) throw_errno("readlink", sname, errno);
    target.resize(static_cast<size_t>(n));
    ::unlinkat(ddir, dname.c_str(), 0);
    if (::symlinkat(target.c_str(), ddir, dname.c_str()) < 0) throw_errno("symlink", dname, errno);
  }
  // Devices, fifos and sockets are not copied.
}

// Docker's placement rules, from src on one side to dst on the other.
void copy_between(const Side& from, const std::string& src, const Side& to, const std::string& dst,
                  const std::string& where) {
  const bool contents_only = src.ends_with("/.");
  auto [sparent, sbase] = split(contents_only ? src.substr(0, src.size() - 2) : src);
  UniqueFd sdir = open_path(from, sparent, O_PATH | O_DIRECTORY);
  struct stat st {};
  if (!sdir ||
      (!sbase.empty() && ::fstatat(sdir.get(), sbase.c_str(), &st, AT_SYMLINK_NOFOLLOW) < 0))
    throw Error("Could not find the file " + src + where);
  if (sbase.empty()) {  // the whole root
    sbase = ".";
    st.st_mode = S_IFDIR | 0755;
  }
  UniqueFd ddir = open_path(to, dst, O_PATH | O_DIRECTORY);
  if (ddir) {
    if (S_ISDIR(st.st_mode) && (contents_only || sbase == ".")) {
      UniqueFd s(
          ::openat(sdir.get(), sbase.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
      if (!s) throw_errno("open", src, errno);
      return copy_contents(s.get(), ddir.get());
    }
    return copy_entry(sdir.get(), sbase, ddir.get(), sbase);
  }
  auto [dparent, dbase] = split(dst);
  UniqueFd dp = open_path(to, dparent, O_PATH | O_DIRECTORY);
  if (!dp) throw Error("destination directory " + dparent + " does not exist");
  if (dst.ends_with('/') && !S_ISDIR(st.st_mode))
    throw Error("destination directory " + dst + " does not exist");
  struct stat existing {};
  if (S_ISDIR(st.st_mode) &&
      ::fstatat(dp.get(), dbase.c_str(), &existing, AT_SYMLINK_NOFOLLOW) == 0 &&
      !S_ISDIR(existing.st_mode))
    throw Error("cannot copy a directory to a file: " + dst);
  copy_entry(sdir.get(), sbase, dp.get(), dbase);
}

// Runs fn with an fd on the container's root directory: /proc/<init>/root while it runs, or
// its overlay mounted by a child process in a private mount namespace.
void with_root(const Paths& paths, const std::string& ref, const std::function<void(int)>& fn) {
  state::ContainerStore store(paths);
  const state::Container c = store.find(ref);
  if (c.running() && c.state.pid > 0) {
    UniqueFd root(::open(("/proc/" + std::to_string(c.state.pid) + "/root").c_str(),
                         O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (root && store.monitor_alive(c.id())) return fn(root.get());
  }
  const runtime::RuntimeSpec spec = build_spec(paths, c, Attach{});
  const fs::path dir = store.dir(c.id());
  std::string lower;
  for (const auto& l : spec.lowerdirs) lower += (lower.empty() ? "" : ":") + l;
  const std::string options = "lowerdir=" + lower + ",upperdir=" + (dir / "upper").string() +
                              ",workdir=" + (dir / "work").string();
  for (const char* d : {"upper", "work", "rootfs"}) ::mkdir((dir / d).c_str(), 0755);
  int pipefd[2];
  if (::pipe2(pipefd, O_CLOEXEC) < 0) throw_errno("pipe2", "cp", errno);
  UniqueFd rd(pipefd[0]), wr(pipefd[1]);
  pid_t pid = ::fork();
  if (pid < 0) throw_errno("fork", "cp", errno);
  if (pid == 0) {
    std::string err;
    try {
      const std::string mnt = (dir / "rootfs").string();
      check(::unshare(CLONE_NEWNS), "unshare", "mount namespace");
      check(::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr), "make private", "/");
      check(::mount("overlay", mnt.c_str(), "overlay", 0, options.c_str()), "mount overlay", mnt);
      UniqueFd root(::open(mnt.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
      if (!root) throw_errno("open", mnt, errno);
      fn(root.get());
    } catch (const std::exception& e) {
      err = e.what();
    }
    if (!err.empty() && ::write(wr.get(), err.data(), err.size()) < 0) ::_exit(2);
    ::_exit(err.empty() ? 0 : 1);
  }
  wr.reset();
  std::string err;
  char buf[4096];
  for (ssize_t n; (n = ::read(rd.get(), buf, sizeof buf)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    err.append(buf, static_cast<size_t>(n));
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!err.empty()) throw Error(err);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw Error("cp: copy process failed");
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
