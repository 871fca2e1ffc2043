// Writes a file tree as a tar stream (pax, libarchive through archive_lib.h), for
// `cp CONTAINER:PATH -`. The walk starts from a directory fd the caller resolved (in a
// container's root) and opens every entry relative to its parent with O_NOFOLLOW: symlinks
// are stored as symlinks, never followed, so nothing outside the tree is read.
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
