// Sending one message with (at most) one file descriptor over a unix socket: sendmsg(2) and
// recvmsg(2) with SCM_RIGHTS (unix(7)). Used between the container's init, which hands its pty
// master to the monitor, and the monitor. Like everything in sys/, these never throw and never
// allocate, so the init may call them between clone and execve.
#pragma once

#include <sys/types.h>

#include <cstddef>

namespace berth::sys {

// Sends len bytes of data and, when fd >= 0, a copy of fd. Returns bytes sent or -errno.
ssize_t send_with_fd(int sock, const void* data, size_t len, int fd);

// Receives up to len bytes into data; *fd is set to a received descriptor (O_CLOEXEC) or -1.
// Retries EINTR, and ECONNRESET once (what the peer sent before closing is still read).
// Returns bytes received (0 at EOF) or -errno.
ssize_t recv_with_fd(int sock, void* data, size_t len, int* fd);

}  // namespace berth::sys
