#include "engine/image/tree_entry.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <memory>

#include "common/error.h"

namespace berth::engine::image {

using sys::UniqueFd;

TreeEntry open_tree_entry(int dirfd, const std::string& name) {
  TreeEntry e;
  e.fd.reset(::openat(dirfd, name.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC));
  if (e.fd && ::fstat(e.fd.get(), &e.st) < 0) {
    const int err = errno;
    e.fd.reset();
    errno = err;
  }
  return e;
}

UniqueFd open_tree_file(const TreeEntry& e, const std::string& name, int flags) {
  if (!S_ISREG(e.st.st_mode)) throw Error("open `" + name + "`: not a regular file");
  // Reopening the O_PATH fd through its magic link reaches the same inode, whatever now sits
  // at `name`; the check after it only guards that promise.
  const std::string self = "/proc/self/fd/" + std::to_string(e.fd.get());
  UniqueFd fd(::open(self.c_str(), flags | O_CLOEXEC));
  if (!fd) throw_errno("open", name, errno);
  struct stat st {};
  if (::fstat(fd.get(), &st) < 0) throw_errno("stat", name, errno);
  if (!S_ISREG(st.st_mode) || st.st_dev != e.st.st_dev || st.st_ino != e.st.st_ino)
    throw Error("open `" + name + "`: the file changed while it was opened");
  return fd;
}

UniqueFd open_tree_dir(const TreeEntry& e, const std::string& name) {
  if (!S_ISDIR(e.st.st_mode)) throw Error("open `" + name + "`: not a directory");
  UniqueFd fd(::openat(e.fd.get(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd) throw_errno("open", name, errno);
  return fd;
}

std::vector<std::string> list_tree_dir(int dirfd) {
  sys::UniqueFd listing(::openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!listing) throw_errno("open", "directory", errno);
  DIR* dir = ::fdopendir(listing.release());
  if (!dir) throw_errno("opendir", "directory", errno);
  std::unique_ptr<DIR, int (*)(DIR*)> owner(dir, ::closedir);
  std::vector<std::string> names;
  while (dirent* e = ::readdir(dir)) {
    std::string n = e->d_name;
    if (n != "." && n != "..") names.push_back(std::move(n));
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string read_tree_link(const TreeEntry& e, const std::string& name) {
  if (!S_ISLNK(e.st.st_mode)) throw Error("readlink `" + name + "`: not a symlink");
  std::string target(4096, '\0');
  ssize_t n = ::readlinkat(e.fd.get(), "", target.data(), target.size());
  if (n < 0) throw_errno("readlink", name, errno);
  target.resize(static_cast<size_t>(n));
  return target;
}

}  // namespace berth::engine::image
