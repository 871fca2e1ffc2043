#include "engine/image/gzip_reader.h"

#include <errno.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>

#include "common/error.h"

namespace berth::engine::image {

namespace {

// Large reads: fewer syscalls, and igzip's fast loop runs while enough input is buffered.
constexpr size_t kInSize = 256 * 1024;

}  // namespace

GzipReader::GzipReader(const IsalLib& lib, int fd)
    : lib_(lib),
      fd_(fd),
      state_(std::make_unique<inflate_state>()),
      in_(std::make_unique<unsigned char[]>(kInSize)) {
  lib_.isal_inflate_init(state_.get());
  state_->crc_flag = ISAL_GZIP;
}

GzipReader::~GzipReader() = default;

size_t GzipReader::read(unsigned char* out, size_t n) {
  inflate_state& s = *state_;
  for (;;) {
    if (member_done_) {
      // Go's rule: the input may end right after a member; anything else is the next one.
      if (s.avail_in == 0 && !refill()) return 0;
      next_member();
    }
    uint32_t room = static_cast<uint32_t>(std::min<size_t>(n, UINT32_MAX));
    uint32_t in_before = s.avail_in;
    s.next_out = out;
    s.avail_out = room;
    int rc = lib_.isal_inflate(&s);
    if (rc < 0) fail(rc);
    size_t produced = room - s.avail_out;
    // Finished means the trailer was read and checked, and all output flushed.
    if (s.block_state == ISAL_BLOCK_FINISH) member_done_ = true;
    if (produced > 0) return produced;
    if (member_done_) continue;
    if (s.avail_in == 0) {
      if (!refill()) throw Error("truncated gzip input");
    } else if (s.avail_in == in_before) {
      throw Error("invalid gzip data at byte " + std::to_string(consumed_ - s.avail_in));
    }
  }
}

// Reads the next chunk of input; false at the end of the file.
bool GzipReader::refill() {
  if (eof_) return false;
  ssize_t r;
  do {
    r = ::read(fd_, in_.get(), kInSize);
  } while (r < 0 && errno == EINTR);
  if (r < 0) throw Error(std::string("read gzip input: ") + std::strerror(errno));
  if (r == 0) {
    eof_ = true;
    return false;
  }
  consumed_ += r;
  state_->next_in = in_.get();
  state_->avail_in = static_cast<uint32_t>(r);
  return true;
}

// Starts a member at the unread input, keeping it across the reset.
void GzipReader::next_member() {
  inflate_state& s = *state_;
  uint8_t* next = s.next_in;
  uint32_t avail = s.avail_in;
  member_start_ = consumed_ - avail;
  lib_.isal_inflate_reset(&s);
  s.crc_flag = ISAL_GZIP;
  s.next_in = next;
  s.avail_in = avail;
  member_done_ = false;
}

void GzipReader::fail(int rc) const {
  off_t at = consumed_ - state_->avail_in;
  switch (rc) {
    case ISAL_INCORRECT_CHECKSUM:
      throw Error("invalid gzip checksum");
    case ISAL_INVALID_WRAPPER:
    case ISAL_UNSUPPORTED_METHOD:
      throw Error("invalid gzip header at byte " + std::to_string(member_start_));
    case ISAL_INVALID_BLOCK:
      throw Error("invalid gzip data at byte " + std::to_string(at) + " (invalid deflate block)");
    case ISAL_INVALID_SYMBOL:
      throw Error("invalid gzip data at byte " + std::to_string(at) + " (invalid deflate symbol)");
    case ISAL_INVALID_LOOKBACK:
      throw Error("invalid gzip data at byte " + std::to_string(at) + " (invalid distance)");
    default:
      throw Error("invalid gzip data at byte " + std::to_string(at) + " (igzip error " +
                  std::to_string(rc) + ")");
  }
}

}  // namespace berth::engine::image
