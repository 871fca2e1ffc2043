// Docker's capability rules: the default 14, names with or without CAP_, ALL, add over drop.
#include "core/runtime/capabilities.h"

#include <gtest/gtest.h>
#include <linux/capability.h>

#include "common/error.h"

namespace berth::core::runtime {
namespace {

CapMask bit(int c) {
  return CapMask{1} << c;
}

TEST(Capabilities, DefaultSetIsDockersFourteen) {
  EXPECT_EQ(default_capabilities(), 0xa80425fbULL);
  EXPECT_EQ(capability_names(default_capabilities()).size(), 14u);
}

TEST(Capabilities, NamesAnyCaseWithOrWithoutPrefix) {
  EXPECT_EQ(capability_number("net_admin"), CAP_NET_ADMIN);
  EXPECT_EQ(capability_number("CAP_SYS_ADMIN"), CAP_SYS_ADMIN);
  EXPECT_EQ(capability_number("Sys_Time"), CAP_SYS_TIME);
  EXPECT_FALSE(capability_number("CAP_NOPE"));
  EXPECT_EQ(normalize_capability("kill", "--cap-drop"), "CAP_KILL");
  EXPECT_EQ(normalize_capability("all", "--cap-drop"), "ALL");
  EXPECT_THROW(normalize_capability("nope", "--cap-add"), Error);
}

TEST(Capabilities, AddDropAndAll) {
  const CapMask def = default_capabilities();
  EXPECT_EQ(resolve_capabilities(false, {"NET_ADMIN"}, {"CHOWN"}),
            (def | bit(CAP_NET_ADMIN)) & ~bit(CAP_CHOWN));
  EXPECT_EQ(resolve_capabilities(false, {}, {"ALL"}), 0u);
  EXPECT_EQ(resolve_capabilities(false, {"KILL"}, {"ALL"}), bit(CAP_KILL));
  EXPECT_EQ(resolve_capabilities(false, {"ALL"}, {"SYS_ADMIN"}),
            all_capabilities() & ~bit(CAP_SYS_ADMIN));
  EXPECT_EQ(resolve_capabilities(true, {}, {}), all_capabilities());
  EXPECT_THROW(resolve_capabilities(false, {"CAP_BOGUS"}, {}), Error);
}

}  // namespace
}  // namespace berth::core::runtime
