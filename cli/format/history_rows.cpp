#include "cli/format/history_rows.h"

#include <algorithm>
#include <cstdio>

#include "cli/format/human_size.h"
#include "cli/format/tabwriter.h"
#include "common/timestamps.h"

namespace berth::cli::format {

namespace {

constexpr size_t kCreatedByWidth = 45;

// Go's time.Unix(t, 0).Format(time.RFC3339), in local time: "2026-12-08T01:03:29Z",
// "2026-12-08T02:03:29+01:00".
std::string rfc3339_local(std::time_t t) {
  std::tm tm{};
  ::localtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::string out = buf;
  if (tm.tm_gmtoff == 0) return out + "Z";
  const long off = tm.tm_gmtoff < 0 ? -tm.tm_gmtoff : tm.tm_gmtoff;
  std::snprintf(buf, sizeof buf, "%c%02ld:%02ld", tm.tm_gmtoff < 0 ? '-' : '+', off / 3600,
                off / 60 % 60);
  return out + buf;
}

// stringid.TruncateID: the hex digits after "sha256:", 12 of them; "<missing>" stays.
std::string truncate_id(const std::string& id) {
  const auto colon = id.find(':');
  std::string hex = colon == std::string::npos ? id : id.substr(colon + 1);
  return hex.substr(0, 12);
}

}  // namespace

Row history_row(const engine::image::HistoryItem& item, std::time_t now, bool human,
                bool no_trunc) {
  const std::time_t created = static_cast<std::time_t>(item.created);
  const std::string created_at = rfc3339_local(created);
  std::string created_by = item.created_by;
  std::replace(created_by.begin(), created_by.end(), '\t', ' ');
  return {
      {{"Comment", item.comment},
       {"CreatedAt", created_at},
       {"CreatedBy", no_trunc ? created_by : ellipsis(created_by, kCreatedByWidth)},
       {"CreatedSince",
        human ? berth::human_duration(static_cast<double>(now - created)) + " ago" : created_at},
       {"ID", no_trunc ? item.id : truncate_id(item.id)},
       {"Size", human ? human_size(static_cast<double>(item.size)) : std::to_string(item.size)}},
      {}};
}

Columns history_columns(bool quiet, bool human) {
  return {{{"ID", "IMAGE"},
           {"CreatedSince", "CREATED"},
           {"CreatedAt", "CREATED AT"},
           {"CreatedBy", "CREATED BY"},
           {"Size", "SIZE"},
           {"Comment", "COMMENT"}},
          quiet   ? "{{.ID}}"
          : human ? "table {{.ID}}\\t{{.CreatedSince}}\\t{{.CreatedBy}}\\t{{.Size}}\\t{{.Comment}}"
                  : "table {{.ID}}\\t{{.CreatedAt}}\\t{{.CreatedBy}}\\t{{.Size}}\\t{{.Comment}}"};
}

}  // namespace berth::cli::format
