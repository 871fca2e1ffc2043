#include "common/file_lock.h"

#include <fcntl.h>
#include <sys/file.h>

#include <cerrno>

#include "common/error.h"

namespace berth {

namespace {
sys::UniqueFd open_lock_file(const std::filesystem::path& path) {
  sys::UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
  if (!fd) throw_errno("open lock", path.string(), errno);
  return fd;
}
int op_for(FileLock::Mode mode) { return mode == FileLock::Mode::kShared ? LOCK_SH : LOCK_EX; }
}  // namespace

FileLock::FileLock(const std::filesystem::path& path, Mode mode) : fd_(open_lock_file(path)) {
  while (::flock(fd_.get(), op_for(mode)) < 0) {
    if (errno != EINTR) throw_errno("flock", path.string(), errno);
  }
}

FileLock FileLock::try_lock(const std::filesystem::path& path, Mode mode) {
  FileLock lock;
  sys::UniqueFd fd = open_lock_file(path);
  if (::flock(fd.get(), op_for(mode) | LOCK_NB) == 0) {
    lock.fd_ = std::move(fd);
  } else if (errno != EWOULDBLOCK) {
    throw_errno("flock", path.string(), errno);
  }
  return lock;
}

}  // namespace berth
