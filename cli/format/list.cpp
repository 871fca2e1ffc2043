#include "cli/format/list.h"

#include "cli/format/tabwriter.h"
#include "common/error.h"
#include "common/strings.h"

namespace berth::cli::format {

namespace {

std::string unescape_tabs(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size() && (s[i + 1] == 't' || s[i + 1] == 'n')) {
      out += s[++i] == 't' ? '\t' : '\n';
    } else {
      out += s[i];
    }
  }
  return out;
}

void print_rows(std::ostream& out, const std::string& format, const Columns& columns,
                const std::vector<Row>& rows) {
  const bool table = format.starts_with("table");
  std::string body = format == "json" ? "{{json .}}" : table ? format.substr(5) : format;
  const Template tmpl(unescape_tabs(std::string(trim(body, " "))));
  std::string text;
  for (const auto& r : rows) text += tmpl.render({r.fields, &r.labels, true}) + "\n";
  if (!table) {
    out << text;
    return;
  }
  out << tabwrite(tmpl.render_header(columns.headers) + "\n" + text);
}

}  // namespace

std::string labels_text(const std::map<std::string, std::string>& labels) {
  std::string out;
  for (const auto& [k, v] : labels) out += (out.empty() ? "" : ",") + k + "=" + v;
  return out;
}

void print_list(std::ostream& out, const std::string& format, const Columns& columns,
                const std::vector<Row>& rows) {
  const std::string f = format.empty() || format == "table" ? columns.default_table : format;
  try {
    print_rows(out, f, columns, rows);
  } catch (const Error& e) {
    throw e.with_context("--format");
  }
}

}  // namespace berth::cli::format
