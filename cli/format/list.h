// Docker's --format for list commands (docker/cli formatter.Context), one mechanism for ps,
// images, volume ls and network ls: "" or "table" prints the command's default table;
// "table TEMPLATE" prints a header row (the fields' column names) and one row per item,
// aligned by tabwriter; "json" prints each item as one JSON object per line (the same as
// {{json .}}); anything else is a template printed once per item. `\t` and `\n` typed in
// the format are tabs and newlines, as Docker's are.
#pragma once

#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "cli/format/template.h"

namespace berth::cli::format {

// One item: Docker's field names → display values (what --format json prints, in order),
// and the labels that {{.Label "k"}} reads.
struct Row {
  json fields;
  std::map<std::string, std::string> labels;
};

// A command's columns: field name → Docker's header ("ID" → "CONTAINER ID"), and its
// default table format.
struct Columns {
  std::map<std::string, std::string> headers;
  std::string default_table;
};

// The Labels field: "k=v,k2=v2", keys sorted.
std::string labels_text(const std::map<std::string, std::string>& labels);

// Throws Error (125) "--format: template: ..." for a bad template.
void print_list(std::ostream& out, const std::string& format, const Columns& columns,
                const std::vector<Row>& rows);

}  // namespace berth::cli::format
