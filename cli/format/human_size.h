// go-units' HumanSizeWithPrecision(size, 3), the size every Docker listing prints (`images`,
// `history`, `system df`, prune's "Total reclaimed space"): decimal units, three significant
// digits.
#pragma once

#include <string>

namespace berth::cli::format {

// "0B", "999B", "4.26MB", "1.2GB".
std::string human_size(double bytes);

}  // namespace berth::cli::format
