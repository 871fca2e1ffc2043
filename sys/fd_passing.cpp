#include "sys/fd_passing.h"

#include <sys/socket.h>

#include <cerrno>
#include <cstring>

namespace berth::sys {
namespace {

// Room for one descriptor in the control message, correctly aligned.
union OneFdControl {
  cmsghdr align;
  char buf[CMSG_SPACE(sizeof(int))];
};

msghdr message(iovec* iov, OneFdControl* control) {
  msghdr msg{};
  msg.msg_iov = iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control->buf;
  msg.msg_controllen = sizeof control->buf;
  return msg;
}

}  // namespace

ssize_t send_with_fd(int sock, const void* data, size_t len, int fd) {
  iovec iov{const_cast<void*>(data), len};
  OneFdControl control{};
  msghdr msg = message(&iov, &control);
  if (fd >= 0) {
    cmsghdr* c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    std::memcpy(CMSG_DATA(c), &fd, sizeof(int));
  } else {
    msg.msg_control = nullptr;
    msg.msg_controllen = 0;
  }
  ssize_t n;
  do {
    n = ::sendmsg(sock, &msg, MSG_NOSIGNAL);
  } while (n < 0 && errno == EINTR);
  return n < 0 ? -errno : n;
}

ssize_t recv_with_fd(int sock, void* data, size_t len, int* fd) {
  *fd = -1;
  iovec iov{data, len};
  OneFdControl control{};
  msghdr msg = message(&iov, &control);
  ssize_t n;
  bool reset_seen = false;
  for (;;) {
    n = ::recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
    if (n >= 0) break;
    if (errno == EINTR) continue;
    // A peer that closed with data of ours unread (the init failing before it read "go")
    // sets ECONNRESET on this socket, and recvmsg reports that error before the messages
    // still queued here; the error is cleared by being reported, so read once more.
    if (errno == ECONNRESET && !reset_seen) {
      reset_seen = true;
      continue;
    }
    return -errno;
  }
  for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
      std::memcpy(fd, CMSG_DATA(c), sizeof(int));
    }
  }
  return n;
}

}  // namespace berth::sys
