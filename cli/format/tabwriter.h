// Go's text/tabwriter as docker/cli configures it for every table (NewWriter(out, 10, 1, 3,
// ' ', 0)): cells end at '\t'; a column is as wide as its widest cell plus 3 spaces, at least
// 10, over each block of consecutive lines that have that column; the text after a line's
// last tab is not a column and is printed as it is. Widths count UTF-8 code points.
#pragma once

#include <cstddef>
#include <string>

namespace berth::cli::format {

// Aligns `text` (lines ending in '\n'). Compose's own tables use other minimum widths (20 for
// `ls` and `images`, 5 for `top`).
std::string tabwrite(const std::string& text, size_t min_width = 10);

// The width of UTF-8 text as the table counts it: code points.
size_t display_width(const std::string& s);

// docker/cli's formatter.Ellipsis: text wider than `max` code points is cut to max - 1 and
// ends in "…" (ps's COMMAND and MOUNTS, history's CREATED BY).
std::string ellipsis(const std::string& s, size_t max);

}  // namespace berth::cli::format
