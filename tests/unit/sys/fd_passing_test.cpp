// One message with at most one descriptor over a unix socket; what a peer sent before it
// closed is read even when it closed with our data unread.
#include "sys/fd_passing.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <string>

namespace berth::sys {
namespace {

struct Pair {
  int a = -1, b = -1;
  Pair() {
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == 0) {
      a = sv[0];
      b = sv[1];
    }
  }
  ~Pair() {
    if (a >= 0) ::close(a);
    if (b >= 0) ::close(b);
  }
};

TEST(FdPassing, SendsADescriptorWithTheMessage) {
  Pair p;
  ASSERT_GE(p.a, 0);
  int devnull[2];
  ASSERT_EQ(::pipe(devnull), 0);
  ASSERT_EQ(send_with_fd(p.a, "hi", 2, devnull[1]), 2);
  char buf[8];
  int fd = -1;
  ASSERT_EQ(recv_with_fd(p.b, buf, sizeof buf, &fd), 2);
  EXPECT_EQ(std::string(buf, 2), "hi");
  ASSERT_GE(fd, 0);
  EXPECT_EQ(::write(fd, "x", 1), 1);  // the pipe's write end
  char c = 0;
  EXPECT_EQ(::read(devnull[0], &c, 1), 1);
  ::close(fd);
  ::close(devnull[0]);
  ::close(devnull[1]);
}

// The monitor's handshake: it sends "go", the init fails before reading it, sends its error
// and exits. The kernel marks the monitor's end ECONNRESET (the init left data unread) and
// reports that before the queued error message; the message must still come through.
TEST(FdPassing, MessageOfAPeerThatClosedWithOurDataUnreadIsRead) {
  Pair p;
  ASSERT_GE(p.a, 0);
  ASSERT_EQ(send_with_fd(p.a, "g", 1, -1), 1);  // never read by b
  ASSERT_EQ(send_with_fd(p.b, "error", 5, -1), 5);
  ::close(p.b);
  p.b = -1;
  char buf[16];
  int fd = -1;
  ASSERT_EQ(recv_with_fd(p.a, buf, sizeof buf, &fd), 5);
  EXPECT_EQ(std::string(buf, 5), "error");
  EXPECT_EQ(fd, -1);
  EXPECT_EQ(recv_with_fd(p.a, buf, sizeof buf, &fd), 0);  // then the end
}

}  // namespace
}  // namespace berth::sys
