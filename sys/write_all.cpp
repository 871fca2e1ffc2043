#include "sys/write_all.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

namespace berth::sys {

namespace {

template <class WriteOnce>
int write_loop(int fd, const char* data, size_t len, WhenFull full, WriteOnce write_once) {
  while (len > 0) {
    ssize_t n = write_once(data, len);
    if (n > 0) {
      data += n;
      len -= static_cast<size_t>(n);
    } else if (n == 0) {
      return -EIO;
    } else if (errno == EAGAIN && full == WhenFull::kWait) {
      pollfd p{fd, POLLOUT, 0};
      ::poll(&p, 1, -1);
    } else if (errno != EINTR) {
      return -errno;
    }
  }
  return 0;
}

}  // namespace

int write_all(int fd, const void* data, size_t len, WhenFull full) {
  return write_loop(fd, static_cast<const char*>(data), len, full,
                    [fd](const char* p, size_t n) { return ::write(fd, p, n); });
}

int send_all(int fd, const void* data, size_t len, int flags, WhenFull full) {
  return write_loop(fd, static_cast<const char*>(data), len, full,
                    [fd, flags](const char* p, size_t n) { return ::send(fd, p, n, flags); });
}

}  // namespace berth::sys
