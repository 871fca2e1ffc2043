// stop and rm -f where the container goes away by itself: a --rm container that its monitor
// removes on the way out is stopped (as `docker stop` says, with its name and exit 0), not
// "No such container".
#include <gtest/gtest.h>

#include "tests/integration/container/container_helpers.h"

namespace berth::test {
namespace {

class ContainerControlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    BERTH_NEED_ROOT();
    st_.import_busybox();
  }
  TempState st_;
};

TEST_F(ContainerControlTest, StopOfAutoRemoveContainerStopsIt) {
  // sleep as PID 1 ignores SIGTERM: stop waits, kills it, and the monitor removes it.
  auto r = st_.berth({"run", "-d", "--rm", "--name", "gone", "busybox", "sleep", "100"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = st_.berth({"stop", "-t", "1", "gone"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "gone\n");
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(st_.berth({"ps", "-aq"}).out, "");
}

TEST_F(ContainerControlTest, StopOfAutoRemoveContainerThatEndsOnTermStopsIt) {
  auto r = st_.berth({"run", "-d", "--rm", "--init", "--name", "quick", "busybox", "sleep", "100"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = st_.berth({"stop", "quick"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "quick\n");
  EXPECT_EQ(st_.berth({"ps", "-aq"}).out, "");
}

TEST_F(ContainerControlTest, ForcedRemoveOfAutoRemoveContainerRemovesIt) {
  auto r = st_.berth({"run", "-d", "--rm", "--name", "forced", "busybox", "sleep", "100"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = st_.berth({"rm", "-f", "forced"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "forced\n");
  EXPECT_EQ(st_.berth({"ps", "-aq"}).out, "");
}

}  // namespace
}  // namespace berth::test
