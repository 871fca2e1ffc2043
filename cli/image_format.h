// Docker's output conventions for the image commands: go-units human sizes ("4.26MB") and
// durations ("2 minutes"), tabwriter tables (min width 10, padding 3) and Go's JSON
// escaping of <, > and & ("\u003cnone\u003e").
#pragma once

#include <cstdint>
#include <ctime>
#include <string>
#include <vector>

#include "cli/format/human_size.h"
#include "cli/format/template.h"

namespace berth::cli {

// go-units HumanSizeWithPrecision(size, 3): decimal units, "0B", "4.26MB", "1.2GB".
using format::human_size;
// Go's time.Time.String() in local time: "2026-11-29 19:00:00 +0000 UTC".
std::string go_time_string(std::time_t t);
// Replaces <, > and & by \u003c, \u003e and \u0026, as Go's encoding/json does.
using format::go_json_escape;

// Prints rows as Docker's tabwriter does (cli/format/tabwriter.h): each column as wide as its
// widest cell plus 3 (at least 10), the last one unpadded.
void print_table(const std::vector<std::vector<std::string>>& rows);

}  // namespace berth::cli
