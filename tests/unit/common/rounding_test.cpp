#include "common/rounding.h"

#include <gtest/gtest.h>

#include <cmath>

namespace berth {
namespace {

TEST(RoundToInt64, HalvesGoAwayFromZeroAsLlround) {
  for (double x : {0.0, 0.4, 0.5, 0.6, 1.5, 2.5, -0.5, -1.5, -2.4, -2.6, 1e9 * 1.5,
                   0.49999999999999994, -0.49999999999999994, 4503599627370495.5,
                   -4503599627370495.5, 9007199254740993.0, 1.5e18, -1.5e18})
    EXPECT_EQ(round_to_int64(x), std::llround(x)) << x;
}

TEST(RoundToInt64, NanoCpusOfADecimalFraction) {
  EXPECT_EQ(round_to_int64(1.1 * 1e9), 1100000000);
  EXPECT_EQ(round_to_int64(0.000000001 * 1e9), 1);
}

}  // namespace
}  // namespace berth
