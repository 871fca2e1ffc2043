#include "engine/image/tree_tar.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <memory>
#include <vector>

#include "common/error.h"
#include "engine/image/archive_lib.h"
#include "sys/unique_fd.h"

namespace berth::engine::image {

namespace {

using sys::UniqueFd;

class TreeWriter {
 public:
  explicit TreeWriter(int out_fd) : la_(archive_lib()), a_(la_.archive_write_new()) {
    if (!a_) throw Error("libarchive: out of memory");
    if (la_.archive_write_set_format_pax_restricted(a_) != ARCHIVE_OK ||
        la_.archive_write_open_fd(a_, out_fd) != ARCHIVE_OK)
      fail("open tar stream");
  }
  ~TreeWriter() { la_.archive_write_free(a_); }
  TreeWriter(const TreeWriter&) = delete;
  TreeWriter& operator=(const TreeWriter&) = delete;

  void add(int parent, const std::string& name, const std::string& archive_name);
  void close() {
    if (la_.archive_write_close(a_) != ARCHIVE_OK) fail("finish tar stream");
  }

 private:
  [[noreturn]] void fail(const std::string& what) { throw Error(what + ": " + archive_error(a_)); }
  void header(const std::string& archive_name, const struct stat& st, const std::string& link);
  void data(int parent, const std::string& name, const std::string& archive_name);
  void children(int parent, const std::string& name, const std::string& archive_name);

  const ArchiveLib& la_;
  struct archive* a_;
};

void TreeWriter::header(const std::string& archive_name, const struct stat& st,
                        const std::string& link) {
  std::unique_ptr<archive_entry, void (*)(archive_entry*)> e(la_.archive_entry_new(),
                                                             la_.archive_entry_free);
  if (!e) throw Error("libarchive: out of memory");
  la_.archive_entry_set_pathname(e.get(), archive_name.c_str());
  la_.archive_entry_set_filetype(e.get(), st.st_mode & S_IFMT);
  la_.archive_entry_set_perm(e.get(), st.st_mode & 07777);
  la_.archive_entry_set_uid(e.get(), st.st_uid);
  la_.archive_entry_set_gid(e.get(), st.st_gid);
  la_.archive_entry_set_mtime(e.get(), st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
  la_.archive_entry_set_size(e.get(), S_ISREG(st.st_mode) ? st.st_size : 0);
  if (S_ISLNK(st.st_mode)) la_.archive_entry_set_symlink(e.get(), link.c_str());
  if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) {
    la_.archive_entry_set_rdevmajor(e.get(), major(st.st_rdev));
    la_.archive_entry_set_rdevminor(e.get(), minor(st.st_rdev));
  }
  if (la_.archive_write_header(a_, e.get()) < ARCHIVE_WARN)
    fail("tar entry `" + archive_name + "`");
}

void TreeWriter::data(int parent, const std::string& name, const std::string& archive_name) {
  UniqueFd fd(::openat(parent, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd) throw_errno("open", archive_name, errno);
  char buf[64 * 1024];
  for (;;) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_errno("read", archive_name, errno);
    if (n == 0) return;
    if (la_.archive_write_data(a_, buf, static_cast<size_t>(n)) < 0)
      fail("tar entry `" + archive_name + "`");
  }
}

void TreeWriter::children(int parent, const std::string& name, const std::string& archive_name) {
  int fd = ::openat(parent, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) throw_errno("open", archive_name, errno);
  std::unique_ptr<DIR, int (*)(DIR*)> d(::fdopendir(fd), ::closedir);
  if (!d) {
    ::close(fd);
    throw_errno("opendir", archive_name, errno);
  }
  std::vector<std::string> names;
  while (dirent* e = ::readdir(d.get())) {
    std::string n = e->d_name;
    if (n != "." && n != "..") names.push_back(n);
  }
  std::sort(names.begin(), names.end());
  for (const auto& n : names) add(::dirfd(d.get()), n, archive_name + "/" + n);
}

void TreeWriter::add(int parent, const std::string& name, const std::string& archive_name) {
  struct stat st {};
  if (::fstatat(parent, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) < 0)
    throw_errno("lstat", archive_name, errno);
  if (S_ISSOCK(st.st_mode)) return;
  std::string link;
  if (S_ISLNK(st.st_mode)) {
    link.resize(4096);
    ssize_t n = ::readlinkat(parent, name.c_str(), link.data(), link.size());
    if (n < 0) throw_errno("readlink", archive_name, errno);
    link.resize(static_cast<size_t>(n));
  }
  header(archive_name, st, link);
  if (S_ISREG(st.st_mode)) data(parent, name, archive_name);
  if (S_ISDIR(st.st_mode)) children(parent, name, archive_name);
}

}  // namespace

void write_tree_tar(int parent_fd, const std::string& name, const std::string& archive_name,
                    int out_fd) {
  TreeWriter w(out_fd);
  w.add(parent_fd, name, archive_name);
  w.close();
}

}  // namespace berth::engine::image
