#include "engine/image/archive_unpack.h"

#include <unistd.h>

#include <cerrno>

#include "common/error.h"
#include "engine/image/archive_lib.h"

namespace berth::engine::image {

namespace {

// True when libarchive, offered exactly Docker's compressions and the tar format, reads a
// first header from the bytes at fd's offset.
bool reads_a_tar_header(int fd) {
  const auto& la = archive_lib();
  struct archive* a = la.archive_read_new();
  if (!a) throw Error("libarchive: out of memory");
  la.archive_read_support_filter_gzip(a);
  la.archive_read_support_filter_bzip2(a);
  la.archive_read_support_filter_xz(a);
  la.archive_read_support_filter_zstd(a);
  la.archive_read_support_filter_none(a);
  la.archive_read_support_format_tar(a);
  bool tar = false;
  if (la.archive_read_open_fd(a, fd, 64 * 1024) == ARCHIVE_OK) {
    struct archive_entry* e = nullptr;
    int rc = la.archive_read_next_header(a, &e);
    tar = rc == ARCHIVE_OK || rc == ARCHIVE_WARN;
  }
  la.archive_read_free(a);
  return tar;
}

}  // namespace

bool is_tar_archive(int fd) {
  off_t at = ::lseek(fd, 0, SEEK_CUR);
  if (at < 0) throw_errno("seek", "archive source", errno);
  // A source that cannot be read at all is an error, not "not an archive".
  char probe;
  if (::pread(fd, &probe, 1, 0) < 0) throw_errno("read", "archive source", errno);
  if (::lseek(fd, 0, SEEK_SET) < 0) throw_errno("seek", "archive source", errno);
  bool tar = reads_a_tar_header(fd);
  if (::lseek(fd, at, SEEK_SET) < 0) throw_errno("seek", "archive source", errno);
  return tar;
}

void unpack_archive(int src_fd, const std::string& name_for_errors, int dest_dir_fd,
                    const UnpackOptions& options) {
  CopyInOptions copy;
  copy.owner = options.chown;
  copy.bzip2 = true;
  try {
    extract_tar_at(src_fd, dest_dir_fd, copy);
  } catch (const Error& e) {
    throw e.with_context("unpack " + name_for_errors);
  }
}

}  // namespace berth::engine::image
