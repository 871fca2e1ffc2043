// BlobWriter: a blob being written to a temp file in images/tmp while it is hashed, so a
// stream (stdin, a tar member) can be stored by a digest known only at its end. Store::
// commit_blob moves it to blobs/sha256/<hex>; otherwise the destructor removes it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "engine/image/digest.h"
#include "sys/unique_fd.h"

namespace berth::engine::image {

class BlobWriter {
 public:
  // Creates a temp file in dir (which must exist). Throws Error.
  explicit BlobWriter(const std::filesystem::path& dir);
  // A download that survives an interruption (`pull` resumes it): opens or creates path
  // (O_APPEND), locks it against another process resuming the same blob (waits for it),
  // hashes what it already holds, and keeps the file when destroyed unfinished. discard()
  // removes it (a download found corrupt). Throws Error.
  static std::unique_ptr<BlobWriter> resume(const std::filesystem::path& path);
  void discard();
  ~BlobWriter();
  BlobWriter(const BlobWriter&) = delete;
  BlobWriter& operator=(const BlobWriter&) = delete;

  void write(const void* data, size_t len);
  // Copies everything readable from fd (until EOF) into the blob.
  void write_from_fd(int fd, const std::string& what);
  // Ends writing (fsync) and returns "sha256:<hex>". Call once.
  std::string finish();

  const std::string& digest() const { return digest_; }
  int64_t size() const { return size_; }
  const std::filesystem::path& path() const { return path_; }
  // A read-only fd on the written data (for extraction before commit).
  sys::UniqueFd open_read() const;
  // Called by Store::commit_blob once the file has been renamed away.
  void release() { path_.clear(); }

 private:
  std::filesystem::path path_;
  BlobWriter() = default;
  sys::UniqueFd fd_;
  bool keep_ = false;  // a resumable download: left in place by the destructor
  Sha256 hash_;
  std::string digest_;
  int64_t size_ = 0;
};

}  // namespace berth::engine::image
