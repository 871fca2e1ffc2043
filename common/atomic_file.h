// Whole-file reads and crash-safe writes (ARCHITECTURE.md §3: temp file → fsync → rename).
// Used for every record berth keeps on disk, so a reader sees the old or the new content,
// never a torn one.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace berth {

// Writes data to path atomically with the given mode. Throws Error on failure.
// durable=false skips the fsync: readers still never see a torn file, but the content may be
// lost on power failure. For records that are meaningless after a reboot anyway (a running
// container's pid), where the fsync would cost milliseconds on the `run` hot path.
void write_file_atomic(const std::filesystem::path& path, std::string_view data, mode_t mode = 0600,
                       bool durable = true);

// Like write_file_atomic(path, data, mode, false), but does nothing when path already holds
// exactly data. For derived files that are regenerated at every start (/etc/hosts,
// resolv.conf): replacing a file costs a new inode and, on ext4, a flush of the new data
// (auto_da_alloc) — milliseconds on the `run` hot path for an identical file.
void write_file_if_changed(const std::filesystem::path& path, std::string_view data,
                           mode_t mode = 0600);

// Reads the whole file. Throws Error (NotFound when it does not exist).
std::string read_file(const std::filesystem::path& path);

// Reads the whole file, or nullopt when it does not exist. Throws on other errors.
std::optional<std::string> read_file_if_exists(const std::filesystem::path& path);

// mkdir -p with mode for the created directories. Throws Error.
void make_dirs(const std::filesystem::path& path, mode_t mode = 0700);

}  // namespace berth
