// Dockerfile `ADD <local tar archive> <dir>`: a source that is a tar archive (plain, gzip,
// bzip2, xz or zstd: Docker's archive.DetectCompression, then a valid tar header, as
// BuildKit's isArchivePath) is unpacked into the destination directory instead of being
// copied. Used by the builder, which opens the destination inside the image's root
// filesystem (privately mounted) and hands its fd here.
#pragma once

#include <optional>
#include <string>

#include "engine/image/layer_extract.h"

namespace berth::engine::image {

// True when the file open at fd is a tar archive by content: its first bytes are a gzip,
// bzip2, xz or zstd stream (or none of them) whose decompressed bytes start with a valid tar
// header. A tar of only end blocks, an empty file and a compressed non-tar are false, so
// ADD copies them as they are. Never throws for content; throws Error when fd cannot be read
// or seeked. The whole file is judged, from its first byte whatever the offset, and the offset
// is restored before returning (fd must be seekable).
bool is_tar_archive(int fd);

struct UnpackOptions {
  // `ADD --chown`: every unpacked entry gets this owner instead of the archive's (BuildKit
  // applies ChownOpts when it unpacks, not only when it copies; Docker's classic builder
  // kept the archive's owners). nullopt: the owners recorded in the archive, as Docker.
  std::optional<TarOwner> chown;
};

// Unpacks the tar archive read from src_fd (any compression is_tar_archive accepts; not
// owned, read from its current offset) into the directory open at dest_dir_fd (not owned;
// the caller resolved it inside the image's root). Docker's Untar semantics: existing files
// are replaced, existing directories merged (their metadata taken from the archive),
// modes, mtimes, xattrs, hardlinks, symlinks and device nodes kept; ".wh." names are
// ordinary files (ADD does not interpret whiteouts).
// Nothing is written outside dest_dir_fd's tree: a leading "/" is dropped ("/etc/x" lands in
// dest/etc/x, as Docker), entries with ".." are refused, no entry is created through a
// symlink (existing or unpacked: berth is stricter here than Docker, which follows one
// inside the destination), a symlink whose relative target climbs out of the destination is
// refused (Docker's "invalid symlink"), and a hardlink may only name an entry already inside.
// Throws Error "unpack NAME: layer entry `ENTRY`: why" (name_for_errors is the source as the
// Dockerfile names it) at the first refused entry; entries before it stay, and the caller
// discards the half-made layer.
void unpack_archive(int src_fd, const std::string& name_for_errors, int dest_dir_fd,
                    const UnpackOptions& options = {});

}  // namespace berth::engine::image
