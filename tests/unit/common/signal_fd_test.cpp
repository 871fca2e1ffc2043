#include "common/signal_fd.h"

#include <gtest/gtest.h>
#include <pthread.h>
#include <signal.h>

#include <thread>

namespace berth {
namespace {

bool blocked(int sig) {
  sigset_t now;
  pthread_sigmask(SIG_BLOCK, nullptr, &now);
  return sigismember(&now, sig) == 1;
}

TEST(SignalFd, TakesTheSignalsAsDataAndRestoresTheMask) {
  ASSERT_FALSE(blocked(SIGUSR1));
  {
    SignalFd fd({SIGUSR1, SIGUSR2});
    EXPECT_TRUE(blocked(SIGUSR1));
    EXPECT_EQ(fd.next(), 0) << "none pending";
    ::kill(::getpid(), SIGUSR2);
    ::kill(::getpid(), SIGUSR1);
    int first = fd.next(), second = fd.next();
    EXPECT_EQ(first + second, SIGUSR1 + SIGUSR2);
    EXPECT_EQ(fd.next(), 0);
    // A thread started now inherits the mask: the signal still waits for the fd.
    std::thread([] { EXPECT_TRUE(blocked(SIGUSR1)); }).join();
    // Left pending at destruction: discarded, not delivered (SIGUSR1 would end the test).
    ::kill(::getpid(), SIGUSR1);
  }
  EXPECT_FALSE(blocked(SIGUSR1));
  EXPECT_FALSE(blocked(SIGUSR2));
}

}  // namespace
}  // namespace berth
