// Writes a file tree as a tar stream (pax, libarchive through archive_lib.h): for
// `cp CONTAINER:PATH -`, and for an overlayfs upper directory read as an OCI layer (`commit`,
// the builder's RUN steps). The walk starts from a directory fd the caller resolved and opens
// every entry once, relative to its parent, with O_PATH|O_NOFOLLOW (tree_entry.h): symlinks are
// stored as symlinks, never followed, so nothing outside the tree is read, and a file's data is
// read from the fd its header was made from, so a container swapping a device node in at its
// name is never read. Entries are written sorted by name.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace berth::engine::image {

// Writes the entry `name` below the directory open at parent_fd (and, for a directory,
// everything in it) to out_fd, named `archive_name` in the archive (Docker: PATH's base
// name). Regular files, directories, symlinks, device nodes and fifos; sockets are skipped.
// Throws Error naming the entry.
void write_tree_tar(int parent_fd, const std::string& name, const std::string& archive_name,
                    int out_fd);

struct LayerTarOptions {
  // SOURCE_DATE_EPOCH: a modification time later than this becomes it; none keeps them all.
  std::optional<int64_t> clamp_mtime;
  // Paths ("etc/hosts") skipped when they are empty regular files: the mount targets a
  // container's runtime made in its upper directory (lifecycle/container_commit.h).
  std::vector<std::string> placeholders;
};

// Receives the tar's bytes in order. May throw; the exception ends the write and is rethrown.
using TarSink = std::function<void(const void* data, size_t len)>;

// Writes the changes held in the overlayfs upper directory open at dir_fd (its entries, not
// the directory itself) as an OCI layer tar (image-spec "Image Layer Filesystem Changeset"):
//   a whiteout (a 0:0 character device, or a file with trusted.overlay.whiteout) → ".wh.NAME";
//   a directory with trusted.overlay.opaque=y → the directory, then ".wh..wh..opq" in it;
//   a second name of an inode already written → a hardlink entry to the first name;
//   regular files, directories, symlinks (target as is), device nodes and fifos as they are;
//   sockets and ordinary files named ".wh.*" (which would read back as whiteouts) are skipped.
// Reproducible: names sorted, numeric uid/gid without names, mtime only (clamped), no
// atime/ctime, xattrs sorted (user.*, trusted.* but trusted.overlay.*, security.* but the
// host's security.selinux label, POSIX ACLs), the archive ending at its two zero blocks.
// Throws Error naming the entry; a directory carrying an overlay redirect or metacopy
// attribute (redirect_dir=on, metacopy=on mounts) cannot be written as a plain diff.
void write_layer_tar(int dir_fd, const LayerTarOptions& opts, const TarSink& sink);

}  // namespace berth::engine::image
