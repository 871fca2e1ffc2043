#include "common/child_process.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <thread>

#include "common/error.h"
#include "sys/unique_fd.h"

namespace berth {
namespace {

std::string message_of(const std::function<void()>& fn) {
  try {
    run_in_child(fn, "test", "test: child failed");
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(RunInChild, ReturnsWhenTheChildSucceeds) {
  EXPECT_EQ(message_of([] {}), "(no error)");
}

TEST(RunInChild, RethrowsTheChildsError) {
  EXPECT_EQ(message_of([] { throw Error("open `x`: No such file or directory"); }),
            "open `x`: No such file or directory");
}

// Longer than a pipe's buffer: the parent drains the pipe before it waits for the child.
TEST(RunInChild, LongMessageArrivesWhole) {
  const std::string big(200 * 1024, 'e');
  EXPECT_EQ(message_of([&] { throw Error(big); }), big);
}

TEST(RunInChild, ChildThatDiesWithoutAMessage) {
  EXPECT_EQ(message_of([] { ::_exit(3); }), "test: child failed");
}

// The child's memory is its own: what fn changes stays there.
TEST(RunInChild, ChildChangesStayInTheChild) {
  int value = 1;
  run_in_child([&] { value = 2; }, "test", "failed");
  EXPECT_EQ(value, 1);
}

TEST(WaitFor, ReturnsTheWaitStatus) {
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) ::_exit(7);
  const int status = wait_for(pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 7);
  EXPECT_EQ(wait_for(pid), -1);  // already reaped
}

TEST(DrainPipe, ReadsUntilTheWriterCloses) {
  int fds[2];
  ASSERT_EQ(::pipe2(fds, O_CLOEXEC), 0);
  sys::UniqueFd rd(fds[0]), wr(fds[1]);
  const std::string data(300 * 1024, 'x');
  std::thread writer([&] {
    size_t off = 0;
    while (off < data.size()) {
      ssize_t n = ::write(wr.get(), data.data() + off, data.size() - off);
      if (n <= 0) break;
      off += static_cast<size_t>(n);
    }
    wr.reset();
  });
  EXPECT_EQ(drain_pipe(rd.get()), data);
  writer.join();
}

}  // namespace
}  // namespace berth
