// Writes a file tree as a tar stream (pax, libarchive through archive_lib.h), for
// `cp CONTAINER:PATH -`. The walk starts from a directory fd the caller resolved (in a
// container's root) and opens every entry once, relative to its parent, with O_PATH|O_NOFOLLOW
// (tree_entry.h): symlinks are stored as symlinks, never followed, so nothing outside the tree
// is read, and a file's data is read from the fd its header was made from, so a container
// swapping a device node in at its name is never read.
#pragma once

#include <string>

namespace berth::engine::image {

// Writes the entry `name` below the directory open at parent_fd (and, for a directory,
// everything in it) to out_fd, named `archive_name` in the archive (Docker: PATH's base
// name). Regular files, directories, symlinks, device nodes and fifos; sockets are skipped.
// Throws Error naming the entry.
void write_tree_tar(int parent_fd, const std::string& name, const std::string& archive_name,
                    int out_fd);

}  // namespace berth::engine::image
