#include "engine/runtime/init_binary.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "sys/mount_api.h"

namespace berth::engine::runtime {

int detached_init_binary() {
  int tree = sys::open_tree(AT_FDCWD, "/proc/self/exe", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
  if (tree < 0) return tree;
  mount_attr attr{};
  attr.attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV;
  int rc = sys::mount_setattr(tree, "", AT_EMPTY_PATH, &attr);
  if (rc < 0) {
    ::close(tree);
    return rc;
  }
  return tree;
}

int mount_init_binary(int tree_fd) {
  int target = ::open(kInitPath, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0755);
  if (target < 0) return -errno;
  ::close(target);
  // A detached mount can be attached in any mount namespace; a bind of the host's file could
  // not, once pivot_root has detached the host's root.
  return sys::move_mount(tree_fd, "", AT_FDCWD, kInitPath, MOVE_MOUNT_F_EMPTY_PATH);
}

}  // namespace berth::engine::runtime
