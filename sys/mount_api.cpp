#include "sys/mount_api.h"

#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

namespace berth::sys {

int open_tree(int dirfd, const char* path, unsigned int flags) {
  long rc = ::syscall(SYS_open_tree, dirfd, path, flags);
  return rc < 0 ? -errno : static_cast<int>(rc);
}

int mount_setattr(int dirfd, const char* path, unsigned int flags, struct mount_attr* attr) {
  long rc = ::syscall(SYS_mount_setattr, dirfd, path, flags, attr, sizeof(*attr));
  return rc < 0 ? -errno : static_cast<int>(rc);
}

int move_mount(int from_dirfd, const char* from_path, int to_dirfd, const char* to_path,
               unsigned int flags) {
  long rc = ::syscall(SYS_move_mount, from_dirfd, from_path, to_dirfd, to_path, flags);
  return rc < 0 ? -errno : static_cast<int>(rc);
}

int execveat(int dirfd, const char* path, char* const argv[], char* const envp[], int flags) {
  ::syscall(SYS_execveat, dirfd, path, argv, envp, flags);
  return -errno;
}

}  // namespace berth::sys
