#include "engine/image/layer_diff.h"

#include <exception>
#include <memory>

#include "common/error.h"
#include "engine/image/archive_lib.h"
#include "engine/image/digest.h"
#include "engine/image/layer_stream.h"

namespace berth::engine::image {

namespace {

// gzip through libarchive (already loaded for the tar): its "raw" format writes one entry's
// bytes with no container around them, and its gzip filter, told "!timestamp", puts neither a
// time nor a name in the gzip header, so the same tar always gives the same blob.
class GzipStream {
 public:
  explicit GzipStream(BlobWriter& out)
      : la_(archive_lib()), out_(out), a_(la_.archive_write_new()) {
    if (!a_) throw Error("libarchive: out of memory");
    std::unique_ptr<archive_entry, void (*)(archive_entry*)> e(la_.archive_entry_new(),
                                                               la_.archive_entry_free);
    if (!e) throw Error("libarchive: out of memory");
    la_.archive_entry_set_pathname(e.get(), "layer.tar");
    la_.archive_entry_set_filetype(e.get(), AE_IFREG);
    la_.archive_entry_set_perm(e.get(), 0644);
    if (la_.archive_write_set_format_raw(a_) != ARCHIVE_OK ||
        la_.archive_write_add_filter_gzip(a_) != ARCHIVE_OK ||
        la_.archive_write_set_filter_option(a_, "gzip", "timestamp", nullptr) != ARCHIVE_OK ||
        la_.archive_write_set_bytes_in_last_block(a_, 1) != ARCHIVE_OK ||
        la_.archive_write_open(a_, this, nullptr, &GzipStream::write_cb, nullptr) != ARCHIVE_OK ||
        la_.archive_write_header(a_, e.get()) != ARCHIVE_OK)
      fail();
  }
  ~GzipStream() { la_.archive_write_free(a_); }
  GzipStream(const GzipStream&) = delete;
  GzipStream& operator=(const GzipStream&) = delete;

  void write(const void* data, size_t len) {
    if (la_.archive_write_data(a_, data, len) < 0) fail();
  }
  void close() {
    if (la_.archive_write_close(a_) != ARCHIVE_OK) fail();
  }

 private:
  [[noreturn]] void fail() {
    if (error_) std::rethrow_exception(error_);
    throw Error("gzip layer: " + archive_error(a_));
  }
  static la_ssize_t write_cb(struct archive*, void* self, const void* buf, size_t len) {
    auto* s = static_cast<GzipStream*>(self);
    // No exception may cross libarchive's C frames: kept, and rethrown by fail().
    try {
      s->out_.write(buf, len);
    } catch (...) {
      s->error_ = std::current_exception();
      return -1;
    }
    return static_cast<la_ssize_t>(len);
  }

  const ArchiveLib& la_;
  BlobWriter& out_;
  struct archive* a_;
  std::exception_ptr error_;
};

}  // namespace

std::string write_layer_blob(int upper_fd, const LayerTarOptions& opts, BlobWriter& blob) {
  GzipStream gz(blob);
  Sha256 diff_id;
  write_layer_tar(upper_fd, opts, [&](const void* data, size_t len) {
    diff_id.update(data, len);
    gz.write(data, len);
  });
  gz.close();
  return diff_id.digest();
}

NewLayer add_layer_diff(Store& store, int upper_fd, const std::string& parent_chain,
                        const LayerTarOptions& opts) {
  auto blob = store.new_blob();
  NewLayer layer;
  layer.diff_id = write_layer_blob(upper_fd, opts, *blob);
  if (layer.diff_id == kEmptyLayerDiffId) {
    layer.chain_id = parent_chain;
    return layer;  // the temp blob goes with its writer
  }
  blob->finish();
  // Unpacked by the extractor every imported or pulled layer goes through: what containers
  // then see is what the blob says, and the blob is known to read back.
  sys::UniqueFd rfd = blob->open_read();
  LayerInfo info = store.unpack_layer_fd(rfd.get(), layer.diff_id, parent_chain, layer.diff_id);
  store.commit_blob(*blob);
  layer.digest = blob->digest();
  layer.size = blob->size();
  layer.media_type = layer_media_type(Compression::kGzip);
  layer.chain_id = info.chain_id;
  layer.unpacked_size = info.size;
  return layer;
}

}  // namespace berth::engine::image
