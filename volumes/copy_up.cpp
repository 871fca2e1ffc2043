#include "volumes/copy_up.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include "common/child_process.h"
#include "common/error.h"
#include "common/private_root.h"
#include "core/runtime/init_mounts.h"
#include "sys/syscalls.h"
#include "sys/unique_fd.h"

namespace berth::volumes {

namespace fs = std::filesystem;

namespace {

void copy_meta(int fd, const struct stat& st, const std::string& what) {
  if (::fchown(fd, st.st_uid, st.st_gid) < 0) throw_errno("chown", what, errno);
  if (::fchmod(fd, st.st_mode & 07777) < 0) throw_errno("chmod", what, errno);
  const timespec times[2] = {st.st_atim, st.st_mtim};
  ::futimens(fd, times);
}

void copy_file(int src_dir, int dst_dir, const char* name, const struct stat& st,
               const std::string& what) {
  sys::UniqueFd in(::openat(src_dir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  if (!in) throw_errno("open", what, errno);
  sys::UniqueFd out(
      ::openat(dst_dir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (!out) throw_errno("create", what, errno);
  off_t left = st.st_size;
  while (left > 0) {
    ssize_t n =
        ::copy_file_range(in.get(), nullptr, out.get(), nullptr, static_cast<size_t>(left), 0);
    if (n < 0 && (errno == EXDEV || errno == EINVAL || errno == ENOSYS))
      n = ::sendfile(out.get(), in.get(), nullptr, static_cast<size_t>(left));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_errno("copy", what, errno);
    if (n == 0) break;
    left -= n;
  }
  copy_meta(out.get(), st, what);
}

void copy_tree(int src, int dst, const std::string& where);

void copy_entry(int src, int dst, const char* name, const std::string& what) {
  struct stat st {};
  if (::fstatat(src, name, &st, AT_SYMLINK_NOFOLLOW) < 0) throw_errno("stat", what, errno);
  if (S_ISDIR(st.st_mode)) {
    if (::mkdirat(dst, name, 0700) < 0) throw_errno("mkdir", what, errno);
    sys::UniqueFd s(::openat(src, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    sys::UniqueFd d(::openat(dst, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!s || !d) throw_errno("open", what, errno);
    copy_tree(s.get(), d.get(), what);
    copy_meta(d.get(), st, what);
  } else if (S_ISREG(st.st_mode)) {
    copy_file(src, dst, name, st, what);
  } else if (S_ISLNK(st.st_mode)) {
    char link[4096];
    ssize_t n = ::readlinkat(src, name, link, sizeof link - 1);
    if (n < 0) throw_errno("readlink", what, errno);
    link[n] = '\0';
    if (::symlinkat(link, dst, name) < 0) throw_errno("symlink", what, errno);
    ::fchownat(dst, name, st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW);
  } else {  // fifo, socket, device: recreated, never opened
    if (::mknodat(dst, name, st.st_mode, st.st_rdev) < 0) throw_errno("mknod", what, errno);
    ::fchownat(dst, name, st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW);
  }
}

void copy_tree(int src, int dst, const std::string& where) {
  int dup = ::fcntl(src, F_DUPFD_CLOEXEC, 0);
  DIR* d = dup < 0 ? nullptr : ::fdopendir(dup);
  if (!d) throw_errno("read directory", where, errno);
  try {
    while (dirent* e = ::readdir(d)) {
      if (!std::strcmp(e->d_name, ".") || !std::strcmp(e->d_name, "..")) continue;
      copy_entry(src, dst, e->d_name, where + "/" + e->d_name);
    }
  } catch (...) {
    ::closedir(d);
    throw;
  }
  ::closedir(d);
}

// In the child: mount the layers on `mnt`, resolve the target inside, copy it into data_dir.
void copy_in_child(const std::vector<fs::path>& layers, const std::string& target,
                   const fs::path& data_dir, const fs::path& mnt) {
  RootLayers root_layers;
  for (const auto& l : layers) root_layers.lower.push_back(l.string());
  const sys::UniqueFd root = mount_private_root(root_layers, mnt.string());
  open_how how{};
  how.flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC;
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
  const std::string rel = core::runtime::relative_target(target);
  sys::UniqueFd src(sys::openat2(root.get(), rel.empty() ? "." : rel.c_str(), &how));
  if (!src) return;  // nothing there in the image (or not a directory): nothing to copy
  sys::UniqueFd dst(::open(data_dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!dst) throw_errno("open", data_dir.string(), errno);
  struct stat st {};
  if (::fstat(src.get(), &st) < 0) throw_errno("stat", target, errno);
  copy_tree(src.get(), dst.get(), target);
  copy_meta(dst.get(), st, target);
}

}  // namespace

void copy_up(const std::vector<fs::path>& all_layers, const std::string& target,
             const fs::path& data_dir, const fs::path& scratch) {
  std::vector<fs::path> layers;
  for (const auto& l : all_layers)
    if (fs::exists(l)) layers.push_back(l);
  if (layers.empty()) return;
  std::string tmpl = (scratch / "copyup.XXXXXX").string();
  if (!::mkdtemp(tmpl.data())) throw_errno("mkdtemp", tmpl, errno);
  try {
    run_in_child([&] { copy_in_child(layers, target, data_dir, tmpl); }, "copy-up", "copy failed");
  } catch (const Error& e) {
    ::rmdir(tmpl.c_str());
    // No half-filled volume: it stays empty, so the next start tries again.
    std::error_code ec;
    for (const auto& en : fs::directory_iterator(data_dir, ec)) fs::remove_all(en.path(), ec);
    throw Error("copy image content at " + target + " into the volume: " + e.what());
  }
  ::rmdir(tmpl.c_str());
}

}  // namespace berth::volumes
