// Rounding a double to the nearest int64_t, halves away from zero (what std::llround does),
// without libm: berth links no libm, so every exec of the CLI skips loading it (ld.so's
// open, mmaps and relocations, and its pages' faults) for the two roundings and the one
// power it had.
#pragma once

#include <cstdint>

namespace berth {

// For |x| below 2^63. x - trunc(x) is exact for every double (|x| < 2^53 has a fraction that
// fits; above, x is an integer).
inline int64_t round_to_int64(double x) {
  auto whole = static_cast<int64_t>(x);
  double fraction = x - static_cast<double>(whole);
  if (fraction >= 0.5) return whole + 1;
  if (fraction <= -0.5) return whole - 1;
  return whole;
}

}  // namespace berth
