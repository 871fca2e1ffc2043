#include "sys/syscalls.h"

#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

namespace berth::sys {
namespace {
long result(long rc) {
  return rc < 0 ? -errno : rc;
}
}  // namespace

int pivot_root(const char* new_root, const char* put_old) {
  return static_cast<int>(result(::syscall(SYS_pivot_root, new_root, put_old)));
}

int openat2(int dirfd, const char* path, const struct open_how* how) {
  return static_cast<int>(result(::syscall(SYS_openat2, dirfd, path, how, sizeof(*how))));
}

int pidfd_open(pid_t pid, unsigned int flags) {
  return static_cast<int>(result(::syscall(SYS_pidfd_open, pid, flags)));
}

int pidfd_send_signal(int pidfd, int sig) {
  return static_cast<int>(result(::syscall(SYS_pidfd_send_signal, pidfd, sig, nullptr, 0)));
}

int close_range(unsigned int first, unsigned int last, unsigned int flags) {
  return static_cast<int>(result(::syscall(SYS_close_range, first, last, flags)));
}

long clone3(struct clone_args* args) {
  return result(::syscall(SYS_clone3, args, sizeof(*args)));
}

}  // namespace berth::sys
