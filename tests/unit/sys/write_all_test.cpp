#include "sys/write_all.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <string>
#include <thread>

#include "sys/unique_fd.h"

namespace berth::sys {
namespace {

struct Pipe {
  UniqueFd rd, wr;
  Pipe() {
    int fds[2];
    EXPECT_EQ(::pipe2(fds, O_CLOEXEC), 0);
    rd.reset(fds[0]);
    wr.reset(fds[1]);
  }
};

std::string read_all(int fd) {
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) out.append(buf, static_cast<size_t>(n));
  return out;
}

std::string pattern(size_t n) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>('a' + i % 26);
  return s;
}

TEST(WriteAll, EmptyBufferWritesNothing) {
  Pipe p;
  EXPECT_EQ(write_all(p.wr.get(), "", 0), 0);
  p.wr.reset();
  EXPECT_EQ(read_all(p.rd.get()), "");
}

// A blocking pipe smaller than the data: the writes come back short and the loop goes on.
TEST(WriteAll, ShortWritesToABlockingPipe) {
  Pipe p;
  ASSERT_GE(::fcntl(p.wr.get(), F_SETPIPE_SZ, 4096), 0);
  const std::string data = pattern(256 * 1024);
  std::string got;
  std::thread reader([&] { got = read_all(p.rd.get()); });
  EXPECT_EQ(write_all(p.wr.get(), data.data(), data.size()), 0);
  p.wr.reset();
  reader.join();
  EXPECT_EQ(got, data);
}

// A non-blocking pipe that fills up: with WhenFull::kWait the writer polls until the reader
// drains it; with kFail the first EAGAIN is returned.
TEST(WriteAll, NonBlockingPipeWaitsOrFails) {
  Pipe p;
  ASSERT_GE(::fcntl(p.wr.get(), F_SETPIPE_SZ, 4096), 0);
  ASSERT_EQ(::fcntl(p.wr.get(), F_SETFL, O_NONBLOCK), 0);
  const std::string data = pattern(64 * 1024);
  EXPECT_EQ(write_all(p.wr.get(), data.data(), data.size()), -EAGAIN);

  Pipe q;
  ASSERT_GE(::fcntl(q.wr.get(), F_SETPIPE_SZ, 4096), 0);
  ASSERT_EQ(::fcntl(q.wr.get(), F_SETFL, O_NONBLOCK), 0);
  std::string got;
  std::thread reader([&] { got = read_all(q.rd.get()); });
  EXPECT_EQ(write_all(q.wr.get(), data.data(), data.size(), WhenFull::kWait), 0);
  q.wr.reset();
  reader.join();
  EXPECT_EQ(got, data);
}

TEST(WriteAll, ClosedReaderIsEpipe) {
  Pipe p;
  p.rd.reset();
  struct sigaction ignore {
  }, old{};
  ignore.sa_handler = SIG_IGN;
  ::sigaction(SIGPIPE, &ignore, &old);
  EXPECT_EQ(write_all(p.wr.get(), "x", 1), -EPIPE);
  ::sigaction(SIGPIPE, &old, nullptr);
  EXPECT_EQ(write_all(-1, "x", 1), -EBADF);
}

// send_all with MSG_NOSIGNAL: a peer that went away is -EPIPE, and no SIGPIPE kills the test.
TEST(SendAll, ClosedPeerIsEpipeWithoutSignal) {
  int sv[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
  UniqueFd a(sv[0]), b(sv[1]);
  const std::string data = pattern(300 * 1024);
  std::string got;
  std::thread reader([&] { got = read_all(b.get()); });
  EXPECT_EQ(send_all(a.get(), data.data(), data.size(), MSG_NOSIGNAL), 0);
  a.reset();
  reader.join();
  EXPECT_EQ(got, data);

  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
  a.reset(sv[0]);
  b.reset(sv[1]);
  b.reset();
  EXPECT_EQ(send_all(a.get(), "x", 1, MSG_NOSIGNAL), -EPIPE);
}

}  // namespace
}  // namespace berth::sys
