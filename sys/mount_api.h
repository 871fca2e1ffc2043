// The new mount API calls berth uses to run its own helper binary from a private, read-only,
// detached mount (open_tree(2) with OPEN_TREE_CLONE, mount_setattr(2)), and execveat(2) to run
// it from that fd: a process whose executable lives on such a mount cannot have that file
// written through /proc/<pid>/exe (EROFS), which is the CVE-2019-5736 defence of `exec`.
// Like the rest of sys/, these never throw or allocate and return the result or -errno.
#pragma once

#include <linux/mount.h>

namespace berth::sys {

// open_tree(2); flags such as OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH.
int open_tree(int dirfd, const char* path, unsigned int flags);
// mount_setattr(2) with one struct mount_attr.
int mount_setattr(int dirfd, const char* path, unsigned int flags, struct mount_attr* attr);
// move_mount(2).
int move_mount(int from_dirfd, const char* from_path, int to_dirfd, const char* to_path,
               unsigned int flags);
// execveat(2); returns only on failure (-errno).
int execveat(int dirfd, const char* path, char* const argv[], char* const envp[], int flags);

}  // namespace berth::sys
