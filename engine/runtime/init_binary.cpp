#include "engine/runtime/init_binary.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>

namespace berth::engine::runtime {

int mount_init_binary(int fd) {
  int target = ::open(kInitPath, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0755);
  if (target < 0) return -errno;
  ::close(target);
  // "/proc/self/fd/N" names what fd N names (mount(2) follows the magic link).
  char src[32] = "/proc/self/fd/";
  char digits[12];
  int k = 0, n = fd;
  do {
    digits[k++] = static_cast<char>('0' + n % 10);
    n /= 10;
  } while (n > 0);
  int len = 14;
  while (k > 0) src[len++] = digits[--k];
  src[len] = '\0';
  if (::mount(src, kInitPath, nullptr, MS_BIND, nullptr) < 0) return -errno;
  constexpr unsigned long kReadOnly = MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV;
  if (::mount(nullptr, kInitPath, nullptr, kReadOnly, nullptr) < 0) return -errno;
  return 0;
}

}  // namespace berth::engine::runtime
