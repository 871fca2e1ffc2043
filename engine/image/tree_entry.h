// Entries of a file tree a container controls, opened so that what is read is what was
// checked. Each entry is opened once, by name, with O_PATH|O_NOFOLLOW (which never runs a
// device driver's open and never blocks on a fifo) and its type is read from that fd; its
// contents are then reached through the same fd, never by its name again, so a container that
// renames entries meanwhile cannot swap a device node or fifo in. Used by `cp`
// (lifecycle/container_cp.cpp) and its tar writer (tree_tar.cpp).
#pragma once

#include <fcntl.h>
#include <sys/stat.h>

#include <string>
#include <vector>

#include "sys/unique_fd.h"

namespace berth::engine::image {

struct TreeEntry {
  sys::UniqueFd fd;   // O_PATH, on the entry itself (a symlink is not followed)
  struct stat st {};  // fstat of fd
};

// Opens `name` below the directory open at dirfd. On failure the fd is invalid and errno says
// why (ENOENT when there is no such entry).
TreeEntry open_tree_entry(int dirfd, const std::string& name);

// An fd opened with `flags` (O_RDONLY; O_WRONLY|O_TRUNC to rewrite it) on a regular-file
// entry, reopened from its O_PATH fd. Throws Error naming `name` when the entry is not a
// regular file or cannot be opened.
sys::UniqueFd open_tree_file(const TreeEntry& e, const std::string& name, int flags = O_RDONLY);

// An O_RDONLY|O_DIRECTORY fd on a directory entry. Throws Error naming `name`.
sys::UniqueFd open_tree_dir(const TreeEntry& e, const std::string& name);

// The names in the directory open at dirfd ("." and ".." left out), sorted. Throws Error.
std::vector<std::string> list_tree_dir(int dirfd);

// The target of a symlink entry. Throws Error naming `name`.
std::string read_tree_link(const TreeEntry& e, const std::string& name);

}  // namespace berth::engine::image
