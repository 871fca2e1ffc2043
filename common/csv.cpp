#include "common/csv.h"

#include <optional>

#include "common/error.h"

namespace berth {

namespace {

// Go's csv.Reader.readLine: one line with its '\n' (none on the last), "\r\n" made "\n", and a
// '\r' ending the input dropped; nullopt at the end of the input.
class LineReader {
 public:
  explicit LineReader(std::string_view text) : rest_(text) {}

  std::optional<std::string> read_line() {
    if (rest_.empty()) return std::nullopt;
    const size_t nl = rest_.find('\n');
    std::string line(rest_.substr(0, nl == std::string_view::npos ? rest_.size() : nl + 1));
    rest_.remove_prefix(line.size());
    ++line_number_;
    if (nl == std::string_view::npos && line.back() == '\r') line.pop_back();
    const size_t n = line.size();
    if (n >= 2 && line[n - 2] == '\r' && line[n - 1] == '\n') line.erase(n - 2, 1);
    return line;
  }
  int line_number() const { return line_number_; }

 private:
  std::string_view rest_;
  int line_number_ = 0;
};

size_t newline_length(std::string_view line) {
  return !line.empty() && line.back() == '\n' ? 1 : 0;
}

// Go's csv.ParseError.Error().
[[noreturn]] void parse_error(int start_line, int line, size_t column, const char* what) {
  std::string where =
      start_line == line ? "" : "record on line " + std::to_string(start_line) + "; ";
  throw Error(where + "parse error on line " + std::to_string(line) + ", column " +
              std::to_string(column) + ": " + what);
}

constexpr const char* kBareQuote = "bare \" in non-quoted-field";
constexpr const char* kQuote = "extraneous or missing \" in quoted-field";

struct Position {
  int line;
  size_t column;  // 1-based, in bytes
};

// A quoted field starting at line[0] == '"'. Appends its value to `field`; leaves `line` after
// its closing quote (and the comma, if any) and returns true when a field follows.
bool read_quoted(LineReader& lines, std::string& line, Position& pos, int start_line,
                 std::string& field) {
  line.erase(0, 1);
  ++pos.column;
  for (;;) {
    const size_t quote = line.find('"');
    if (quote != std::string::npos) {
      field += line.substr(0, quote);
      line.erase(0, quote + 1);
      pos.column += quote + 1;
      if (!line.empty() && line[0] == '"') {  // "" is a quote
        field += '"';
        line.erase(0, 1);
        ++pos.column;
      } else if (!line.empty() && line[0] == ',') {
        line.erase(0, 1);
        ++pos.column;
        return true;
      } else if (newline_length(line) == line.size()) {
        return false;
      } else {
        parse_error(start_line, pos.line, pos.column - 1, kQuote);
      }
    } else if (!line.empty()) {
      field += line;  // the field goes on on the next line
      pos.column += line.size();
      line = lines.read_line().value_or("");
      if (!line.empty()) pos = {pos.line + 1, 1};
    } else {
      parse_error(start_line, pos.line, pos.column, kQuote);
    }
  }
}

}  // namespace

std::vector<std::string> split_csv_fields(std::string_view text) {
  LineReader lines(text);
  std::optional<std::string> first;
  while ((first = lines.read_line()) && first->size() == newline_length(*first)) {
  }
  if (!first) throw Error("EOF");
  std::string line = std::move(*first);
  const int start_line = lines.line_number();
  Position pos{start_line, 1};
  std::vector<std::string> fields;
  for (;;) {
    std::string field;
    if (!line.empty() && line[0] == '"') {
      const bool more = read_quoted(lines, line, pos, start_line, field);
      fields.push_back(std::move(field));
      if (!more) return fields;
      continue;
    }
    const size_t comma = line.find(',');
    field = comma == std::string::npos ? line.substr(0, line.size() - newline_length(line))
                                       : line.substr(0, comma);
    if (const size_t quote = field.find('"'); quote != std::string::npos)
      parse_error(start_line, pos.line, pos.column + quote, kBareQuote);
    fields.push_back(std::move(field));
    if (comma == std::string::npos) return fields;
    line.erase(0, comma + 1);
    pos.column += comma + 1;
  }
}

}  // namespace berth
