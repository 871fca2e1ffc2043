#include "core/runtime/init_binary.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "sys/mount_api.h"

namespace berth::core::runtime {

namespace {
const char* g_monitor_path = "/proc/self/exe";
}

void set_monitor_path(const char* path) {
  if (path && path[0] == '/') g_monitor_path = path;
}

int detached_init_binary() {
  return readonly_detached_mount(g_monitor_path);
}

int readonly_detached_mount(const char* path) {
  int tree = sys::open_tree(AT_FDCWD, path, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
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

}  // namespace berth::core::runtime
