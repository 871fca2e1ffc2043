// One record of comma-separated values as Go's encoding/csv reads it (csv.NewReader(s).Read()
// with its defaults: comma ',', strict quotes, no comments): a field may be "quoted", holding
// commas, newlines and "" for a quote. Docker's CLI parses --mount (and --secret, --ssh) so,
// and BuildKit parses RUN --mount; used by request/mounts.cpp and dockerfile/run_mount.cpp.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace berth {

// The fields of the first record of `text` (empty lines before it are skipped, lines after it
// ignored; "\r\n" reads as "\n"). Throws Error with Go's message: "parse error on line 1,
// column 3: bare \" in non-quoted-field", "... extraneous or missing \" in quoted-field"
// ("record on line L; parse error on line L2, column C: ..." for a quoted field that spans
// lines), "EOF" when there is no record.
std::vector<std::string> split_csv_fields(std::string_view text);

}  // namespace berth
