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
#include "engine/image/tree_entry.h"
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
  void data(const TreeEntry& entry, const std::string& archive_name);
  void children(const TreeEntry& entry, const std::string& archive_name);

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

void TreeWriter::data(const TreeEntry& entry, const std::string& archive_name) {
  UniqueFd fd = open_tree_file(entry, archive_name);
  // The header promised st_size bytes: no more are read, however long a container makes the
  // file meanwhile (libarchive pads a file that shrank).
  off_t left = entry.st.st_size;
  char buf[64 * 1024];
  while (left > 0) {
    ssize_t n = ::read(fd.get(), buf, static_cast<size_t>(std::min<off_t>(left, sizeof buf)));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_errno("read", archive_name, errno);
    if (n == 0) return;
    left -= n;
    if (la_.archive_write_data(a_, buf, static_cast<size_t>(n)) < 0)
      fail("tar entry `" + archive_name + "`");
  }
}

void TreeWriter::children(const TreeEntry& entry, const std::string& archive_name) {
  UniqueFd fd = open_tree_dir(entry, archive_name);
  std::unique_ptr<DIR, int (*)(DIR*)> d(::fdopendir(fd.get()), ::closedir);
  if (!d) throw_errno("opendir", archive_name, errno);
  fd.release();  // d owns it now
  std::vector<std::string> names;
  while (dirent* e = ::readdir(d.get())) {
    std::string n = e->d_name;
    if (n != "." && n != "..") names.push_back(n);
  }
  std::sort(names.begin(), names.end());
  for (const auto& n : names) add(::dirfd(d.get()), n, archive_name + "/" + n);
}

// The entry is opened once (O_PATH, tree_entry.h): its header, and the data or children that
// follow it, all come from that fd, so what the header says is what is read.
void TreeWriter::add(int parent, const std::string& name, const std::string& archive_name) {
  TreeEntry entry = open_tree_entry(parent, name);
  if (!entry.fd) throw_errno("lstat", archive_name, errno);
  const struct stat& st = entry.st;
  if (S_ISSOCK(st.st_mode)) return;
  std::string link;
  if (S_ISLNK(st.st_mode)) link = read_tree_link(entry, archive_name);
  header(archive_name, st, link);
  if (S_ISREG(st.st_mode)) data(entry, archive_name);
  if (S_ISDIR(st.st_mode)) children(entry, archive_name);
}

}  // namespace

void write_tree_tar(int parent_fd, const std::string& name, const std::string& archive_name,
                    int out_fd) {
  TreeWriter w(out_fd);
  w.add(parent_fd, name, archive_name);
  w.close();
}

}  // namespace berth::engine::image

namespace berth::engine::image {

void write_layer_tar(int, const LayerTarOptions&, const TarSink&) {
  throw Error("write_layer_tar: not written yet");
}

}  // namespace berth::engine::image
