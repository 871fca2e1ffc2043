// Writing a whole buffer to an fd that may take it in parts: pipes and sockets return short
// writes, a signal may interrupt a write, and a non-blocking fd says EAGAIN when it is full.
// Used by atomic files, the monitor's copy to an attached CLI, exec's stream relay and the
// spec socket to the monitor. Like syscalls.h these never throw and never allocate.
#pragma once

#include <cstddef>

namespace berth::sys {

// What to do when a non-blocking fd is full (EAGAIN): return -EAGAIN, or wait with poll(2)
// until it can take more.
enum class WhenFull { kFail, kWait };

// Writes data[0, len) to fd with write(2), retrying after EINTR. Returns 0, or -errno of the
// write that failed (-EIO when one wrote nothing).
int write_all(int fd, const void* data, size_t len, WhenFull full = WhenFull::kFail);

// The same with send(2) and its flags (MSG_NOSIGNAL: a peer that went away is -EPIPE, not a
// SIGPIPE).
int send_all(int fd, const void* data, size_t len, int flags, WhenFull full = WhenFull::kFail);

}  // namespace berth::sys
