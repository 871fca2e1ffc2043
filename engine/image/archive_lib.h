// libarchive, loaded with dlopen on first use (PREAMBLE performance facts: linking
// libarchive.so costs ~3 ms on every exec of `berth`, because it pulls ICU and libxml2).
// The header's declarations give the function types; only the functions listed in
// BERTH_ARCHIVE_FUNCTIONS are resolved. Used by the layer extractor, load and save.
#pragma once

#include <archive.h>
#include <archive_entry.h>

#include <string>

namespace berth::engine::image {

#define BERTH_ARCHIVE_FUNCTIONS(X)           \
  X(archive_error_string)                    \
  X(archive_set_error)                       \
  X(archive_read_new)                        \
  X(archive_read_free)                       \
  X(archive_read_support_filter_gzip)        \
  X(archive_read_support_filter_bzip2)       \
  X(archive_read_support_filter_zstd)        \
  X(archive_read_support_filter_xz)          \
  X(archive_read_support_filter_none)        \
  X(archive_read_support_format_raw)         \
  X(archive_read_support_format_tar)         \
  X(archive_read_open_fd)                    \
  X(archive_read_open)                       \
  X(archive_read_next_header)                \
  X(archive_read_data)                       \
  X(archive_read_data_skip)                  \
  X(archive_filter_code)                     \
  X(archive_write_new)                       \
  X(archive_write_free)                      \
  X(archive_write_set_format_pax_restricted) \
  X(archive_write_add_filter_gzip)           \
  X(archive_write_add_filter_zstd)           \
  X(archive_write_add_filter_xz)             \
  X(archive_write_open_fd)                   \
  X(archive_write_open)                      \
  X(archive_write_set_format_raw)            \
  X(archive_write_set_filter_option)         \
  X(archive_write_set_bytes_in_last_block)   \
  X(archive_write_header)                    \
  X(archive_write_data)                      \
  X(archive_write_close)                     \
  X(archive_entry_new)                       \
  X(archive_entry_free)                      \
  X(archive_entry_pathname)                  \
  X(archive_entry_pathname_utf8)             \
  X(archive_entry_hardlink)                  \
  X(archive_entry_symlink)                   \
  X(archive_entry_filetype)                  \
  X(archive_entry_perm)                      \
  X(archive_entry_uid)                       \
  X(archive_entry_gid)                       \
  X(archive_entry_mtime)                     \
  X(archive_entry_mtime_nsec)                \
  X(archive_entry_size)                      \
  X(archive_entry_rdevmajor)                 \
  X(archive_entry_rdevminor)                 \
  X(archive_entry_xattr_reset)               \
  X(archive_entry_xattr_next)                \
  X(archive_entry_set_pathname)              \
  X(archive_entry_set_size)                  \
  X(archive_entry_set_filetype)              \
  X(archive_entry_set_perm)                  \
  X(archive_entry_set_mtime)                 \
  X(archive_entry_set_uid)                   \
  X(archive_entry_set_gid)                   \
  X(archive_entry_set_symlink)               \
  X(archive_entry_set_hardlink)              \
  X(archive_entry_set_rdevmajor)             \
  X(archive_entry_set_rdevminor)             \
  X(archive_entry_xattr_add_entry)

// The resolved functions, named as in archive.h: `lib.archive_read_new()`.
struct ArchiveLib {
#define BERTH_ARCHIVE_MEMBER(name) decltype(&::name) name = nullptr;
  BERTH_ARCHIVE_FUNCTIONS(BERTH_ARCHIVE_MEMBER)
#undef BERTH_ARCHIVE_MEMBER
};

// Returns the library, loading "libarchive.so.13" on the first call (thread-safe).
// Throws Error("libarchive.so.13 is not installed ...") when it cannot be loaded or lacks
// a function.
const ArchiveLib& archive_lib();

// The library's last error on a, never null ("unknown error" when it has none).
std::string archive_error(struct archive* a);

}  // namespace berth::engine::image
