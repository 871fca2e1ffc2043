// `history` rows as docker/cli prints them (historyContext): the fields that feed --format
// json, templates and the table, and the default tables (human "2 hours ago" and "4.26MB", or
// with --human=false RFC 3339 times and sizes in bytes). Pure functions, unit-tested.
#pragma once

#include <ctime>

#include "cli/format/list.h"
#include "engine/image/history.h"

namespace berth::cli::format {

// Comment, CreatedAt, CreatedBy, CreatedSince, ID, Size. Unless no_trunc, the ID is cut to 12
// hex digits and CreatedBy (tabs made spaces) to 45 characters with "…".
Row history_row(const engine::image::HistoryItem& item, std::time_t now, bool human, bool no_trunc);

// The headers, and the default table: IMAGE CREATED (or CREATED AT) CREATED BY SIZE COMMENT;
// quiet: the IDs alone, without a header.
Columns history_columns(bool quiet, bool human);

}  // namespace berth::cli::format
