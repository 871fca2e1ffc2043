#include "engine/image/layer_stream.h"

#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/error.h"
#include "engine/image/isal_lib.h"

namespace berth::engine::image {

std::string compression_name(Compression c) {
  switch (c) {
    case Compression::kGzip:
      return "gzip";
    case Compression::kZstd:
      return "zstd";
    case Compression::kXz:
      return "xz";
    case Compression::kNone:
      break;
  }
  return "";
}

std::string layer_media_type(Compression c) {
  std::string base = "application/vnd.oci.image.layer.v1.tar";
  return c == Compression::kNone ? base : base + "+" + compression_name(c);
}

Compression detect_compression(int fd) {
  unsigned char m[6] = {};
  ssize_t n = ::pread(fd, m, sizeof m, 0);
  // A socket (a pull streams each layer to its extractor over one) is peeked, not consumed.
  if (n < 0 && errno == ESPIPE) {
    do {
      n = ::recv(fd, m, sizeof m, MSG_PEEK | MSG_WAITALL);
    } while (n < 0 && errno == EINTR);
  }
  if (n >= 2 && m[0] == 0x1f && m[1] == 0x8b) return Compression::kGzip;
  if (n >= 4 && m[0] == 0x28 && m[1] == 0xb5 && m[2] == 0x2f && m[3] == 0xfd)
    return Compression::kZstd;
  if (n >= 6 && m[0] == 0xfd && m[1] == '7' && m[2] == 'z' && m[3] == 'X' && m[4] == 'Z' &&
      m[5] == 0)
    return Compression::kXz;
  return Compression::kNone;
}

LayerStream::LayerStream(int fd, bool with_bzip2) {
  const auto& la = archive_lib();
  compression_ = detect_compression(fd);
  const IsalLib* isal = compression_ == Compression::kGzip ? isal_lib() : nullptr;
  if (isal)
    gzip_ = std::make_unique<GzipReader>(*isal, fd);
  else
    open_outer(fd, with_bzip2);
  inner_ = la.archive_read_new();
  if (!inner_) {
    close();
    throw Error("libarchive: out of memory");
  }
  la.archive_read_support_format_tar(inner_);
  if (la.archive_read_open(inner_, this, nullptr, &LayerStream::read_cb, nullptr) != ARCHIVE_OK) {
    // The tar bidder replaces a read error with "Unrecognized archive format".
    std::string why = read_error_.empty() ? archive_error(inner_) : read_error_;
    close();
    throw Error("read layer: " + why);
  }
}

void LayerStream::open_outer(int fd, bool with_bzip2) {
  const auto& la = archive_lib();
  outer_ = la.archive_read_new();
  if (!outer_) throw Error("libarchive: out of memory");
  la.archive_read_support_filter_gzip(outer_);
  la.archive_read_support_filter_zstd(outer_);
  la.archive_read_support_filter_xz(outer_);
  if (with_bzip2) la.archive_read_support_filter_bzip2(outer_);
  la.archive_read_support_filter_none(outer_);
  la.archive_read_support_format_raw(outer_);
  struct archive_entry* raw = nullptr;
  if (la.archive_read_open_fd(outer_, fd, 64 * 1024) != ARCHIVE_OK ||
      la.archive_read_next_header(outer_, &raw) != ARCHIVE_OK) {
    std::string why = archive_error(outer_);
    close();
    throw Error("read layer: " + why);
  }
}

LayerStream::~LayerStream() {
  close();
}

void LayerStream::close() {
  const auto& la = archive_lib();
  if (inner_) la.archive_read_free(inner_);
  if (outer_) la.archive_read_free(outer_);
  inner_ = outer_ = nullptr;
  gzip_.reset();
}

la_ssize_t LayerStream::read_outer() {
  la_ssize_t n;
  if (gzip_) {
    n = static_cast<la_ssize_t>(gzip_->read(reinterpret_cast<unsigned char*>(buf_), sizeof buf_));
  } else {
    n = archive_lib().archive_read_data(outer_, buf_, sizeof buf_);
    if (n < 0) throw Error(archive_error(outer_));
  }
  if (n > 0) hash_.update(buf_, static_cast<size_t>(n));
  return n;
}

// Called by libarchive's C code, which an exception must not cross: the error becomes the
// tar reader's, which the caller reports.
la_ssize_t LayerStream::read_cb(struct archive* a, void* self, const void** buf) {
  auto* s = static_cast<LayerStream*>(self);
  *buf = s->buf_;
  try {
    return s->read_outer();
  } catch (const std::exception& e) {
    s->read_error_ = e.what();
    archive_lib().archive_set_error(a, EIO, "%s", e.what());
    return ARCHIVE_FATAL;
  }
}

std::string layer_diff_id(int fd) {
  LayerStream stream(fd);
  return stream.finish();
}

std::string LayerStream::finish() {
  try {
    while (read_outer() > 0) {
    }
  } catch (const Error& e) {
    throw Error(std::string("read layer: ") + e.what());
  }
  return hash_.digest();
}

}  // namespace berth::engine::image
