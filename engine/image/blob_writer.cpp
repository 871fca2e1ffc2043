#include "engine/image/blob_writer.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>

#include "common/error.h"
#include "common/random_id.h"

namespace berth::engine::image {

BlobWriter::BlobWriter(const std::filesystem::path& dir) {
  path_ = dir / ("blob-" + random_hex(8));
  fd_.reset(::open(path_.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (!fd_) {
    int err = errno;
    path_.clear();
    throw_errno("create", (dir / "blob-*").string(), err);
  }
}

BlobWriter::~BlobWriter() {
  if (!path_.empty() && !keep_) ::unlink(path_.c_str());
}

std::unique_ptr<BlobWriter> BlobWriter::resume(const std::filesystem::path& path) {
  std::unique_ptr<BlobWriter> w(new BlobWriter());
  w->keep_ = true;
  w->fd_.reset(::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600));
  if (!w->fd_) throw_errno("open", path.string(), errno);
  while (::flock(w->fd_.get(), LOCK_EX) < 0)
    if (errno != EINTR) throw_errno("lock", path.string(), errno);
  w->path_ = path;
  char buf[128 * 1024];
  for (;;) {
    ssize_t n = ::pread(w->fd_.get(), buf, sizeof buf, w->size_);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_errno("read", path.string(), errno);
    if (n == 0) break;
    w->hash_.update(buf, static_cast<size_t>(n));
    w->size_ += n;
  }
  return w;
}

void BlobWriter::discard() {
  if (!path_.empty()) ::unlink(path_.c_str());
  path_.clear();
}

void BlobWriter::write(const void* data, size_t len) {
  hash_.update(data, len);
  const char* p = static_cast<const char*>(data);
  while (len > 0) {
    ssize_t n = ::write(fd_.get(), p, len);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_errno("write", path_.string(), errno);
    p += n;
    len -= static_cast<size_t>(n);
    size_ += n;
  }
}

void BlobWriter::write_from_fd(int fd, const std::string& what) {
  char buf[128 * 1024];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_errno("read", what, errno);
    if (n == 0) break;
    write(buf, static_cast<size_t>(n));
  }
}

std::string BlobWriter::finish() {
  if (::fsync(fd_.get()) < 0) throw_errno("fsync", path_.string(), errno);
  digest_ = hash_.digest();
  return digest_;
}

sys::UniqueFd BlobWriter::open_read() const {
  sys::UniqueFd fd(::open(path_.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) throw_errno("open", path_.string(), errno);
  return fd;
}

}  // namespace berth::engine::image
