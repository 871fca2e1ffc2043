#include "common/private_root.h"

#include <gtest/gtest.h>

namespace berth {
namespace {

TEST(OverlayOptions, ReadOnlyWithoutUpper) {
  EXPECT_EQ(overlay_options({{"/l/b", "/l/a"}, "", ""}), "lowerdir=/l/b:/l/a");
  EXPECT_EQ(overlay_options({{"/l/a"}, "", ""}), "lowerdir=/l/a");
}

TEST(OverlayOptions, WritableWithUpperAndWork) {
  EXPECT_EQ(overlay_options({{"/l/b", "/l/a"}, "/c/upper", "/c/work"}),
            "lowerdir=/l/b:/l/a,upperdir=/c/upper,workdir=/c/work");
}

}  // namespace
}  // namespace berth
