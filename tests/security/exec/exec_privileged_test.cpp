// `exec --privileged`: the exec'd process gets every capability berth holds and no
// seccomp filter, while a plain exec in the same container keeps Docker's 14 and the filter.
#include <gtest/gtest.h>

#include "tests/integration/container/container_helpers.h"
#include "tests/security/runtime/runtime_helpers.h"

namespace berth::test {
namespace {

TEST(ExecPrivileged, GetsEveryCapabilityBerthHoldsAndNoFilter) {
  BERTH_NEED_ROOT();
  TempState st;
  st.import_busybox();
  ASSERT_EQ(st.berth({"run", "-d", "--name", "box", "busybox", "sleep", "1000"}).exit_code, 0);
  const std::string mine = status_field(read_file_text("/proc/self/status"), "CapEff");
  auto plain = st.berth({"exec", "box", "cat", "/proc/self/status"});
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_EQ(status_field(plain.out, "CapEff"), "00000000a80425fb");
  EXPECT_EQ(status_field(plain.out, "Seccomp"), "2");
  auto priv = st.berth({"exec", "--privileged", "box", "cat", "/proc/self/status"});
  ASSERT_EQ(priv.exit_code, 0) << priv.err;
  EXPECT_EQ(status_field(priv.out, "CapEff"), mine);
  EXPECT_EQ(status_field(priv.out, "CapBnd"), mine);
  EXPECT_EQ(status_field(priv.out, "Seccomp"), "0");
}

}  // namespace
}  // namespace berth::test
