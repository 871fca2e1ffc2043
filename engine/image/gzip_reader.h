// A gzip stream (RFC 1952) read from an fd and inflated by ISA-L's igzip (isal_lib.h). Its
// members are read one after another, as by Go's compress/gzip reader (Docker and containerd
// unpack layers with it): the end of the input right after a member ends the stream, anything
// else there must be another member. The CRC-32 and ISIZE of every member are checked.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <memory>

#include "engine/image/isal_lib.h"

namespace berth::engine::image {

class GzipReader {
 public:
  // Reads fd (not owned; must stay open) from its current offset.
  GzipReader(const IsalLib& lib, int fd);
  ~GzipReader();
  GzipReader(const GzipReader&) = delete;
  GzipReader& operator=(const GzipReader&) = delete;

  // Inflates up to n bytes into out; returns how many, 0 only at the end of the stream.
  // Throws Error (one line, no prefix): "truncated gzip input", "invalid gzip checksum",
  // "invalid gzip header at byte N", "invalid gzip data at byte N (...)", or a read error.
  size_t read(unsigned char* out, size_t n);

 private:
  bool refill();
  void next_member();
  [[noreturn]] void fail(int rc) const;

  const IsalLib& lib_;
  int fd_;
  std::unique_ptr<struct inflate_state> state_;
  std::unique_ptr<unsigned char[]> in_;
  off_t consumed_ = 0;      // input bytes read from fd before in_'s current contents
  off_t member_start_ = 0;  // input offset of the current member's header
  bool member_done_ = false;
  bool eof_ = false;
};

}  // namespace berth::engine::image
