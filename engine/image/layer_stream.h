// A layer blob read as a tar stream while its DiffID is computed (OCI image spec: the
// DiffID is the sha256 of the *uncompressed* tar). Two readers are chained: the outer one
// only decompresses (gzip, zstd, xz or none, detected by content), the inner one, libarchive's
// tar reader, parses the outer one's bytes, which are hashed on the way. gzip is inflated by
// ISA-L's igzip (gzip_reader.h) when libisal.so.2 loads and BERTH_NO_ISAL=1 is not set, else
// like the others by a libarchive reader with format "raw".
#pragma once

#include <memory>
#include <string>

#include "engine/image/archive_lib.h"
#include "engine/image/digest.h"
#include "engine/image/gzip_reader.h"

namespace berth::engine::image {

enum class Compression { kNone, kGzip, kZstd, kXz };

// "", "gzip", "zstd", "xz"; and the OCI layer media type for each.
std::string compression_name(Compression c);
std::string layer_media_type(Compression c);

// Compression of the file open at fd, from its first bytes (pread: the offset is kept; a
// socket is peeked with MSG_PEEK; another stream counts as uncompressed, for libarchive to
// detect).
Compression detect_compression(int fd);

// The DiffID of the layer blob read from fd (not owned), without unpacking it: the sha256 of
// its uncompressed bytes. Throws Error when it is not a tar archive.
std::string layer_diff_id(int fd);

class LayerStream {
 public:
  // Reads from fd (not owned; must stay open). Throws Error when it is not an archive.
  // with_bzip2: bzip2 is accepted too (Dockerfile ADD, as Docker's DecompressStream), which
  // no layer media type names, so layers leave it out.
  explicit LayerStream(int fd, bool with_bzip2 = false);
  ~LayerStream();
  LayerStream(const LayerStream&) = delete;
  LayerStream& operator=(const LayerStream&) = delete;

  // The tar reader: archive_read_next_header / archive_read_data on it.
  struct archive* tar() {
    return inner_;
  }
  // After the tar's end: hashes what is left (end blocks, padding) and returns the DiffID.
  std::string finish();
  Compression compression() const { return compression_; }

 private:
  void open_outer(int fd, bool with_bzip2);
  void close();
  // The next decompressed bytes into buf_, hashed; 0 at the end. Throws Error (no prefix).
  la_ssize_t read_outer();
  static la_ssize_t read_cb(struct archive*, void* self, const void** buf);
  std::unique_ptr<GzipReader> gzip_;  // or:
  struct archive* outer_ = nullptr;
  struct archive* inner_ = nullptr;
  Sha256 hash_;
  std::string read_error_;  // the last read_cb failure
  Compression compression_ = Compression::kNone;
  char buf_[128 * 1024];
};

}  // namespace berth::engine::image
