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

// The line being read: its text, and the part of it not read yet. Fields are cut from the
// front of `rest` in constant time, so a long line of many fields costs linear time.
struct Cursor {
  std::string line;
  std::string_view rest;
  Position pos;
};

// A quoted field starting at rest[0] == '"'. Appends its value to `field`; leaves `rest` after
// its closing quote (and the comma, if any) and returns true when a field follows.
bool read_quoted(LineReader& lines, Cursor& c, int start_line, std::string& field) {
  c.rest.remove_prefix(1);
  ++c.pos.column;
  for (;;) {
    const size_t quote = c.rest.find('"');
    if (quote != std::string_view::npos) {
      field += c.rest.substr(0, quote);
      c.rest.remove_prefix(quote + 1);
      c.pos.column += quote + 1;
      if (!c.rest.empty() && c.rest[0] == '"') {  // "" is a quote
        field += '"';
        c.rest.remove_prefix(1);
        ++c.pos.column;
      } else if (!c.rest.empty() && c.rest[0] == ',') {
        c.rest.remove_prefix(1);
        ++c.pos.column;
        return true;
      } else if (newline_length(c.rest) == c.rest.size()) {
        return false;
      } else {
        parse_error(start_line, c.pos.line, c.pos.column - 1, kQuote);
      }
    } else if (!c.rest.empty()) {
      field += c.rest;  // the field goes on on the next line
      c.pos.column += c.rest.size();
      c.line = lines.read_line().value_or("");
      c.rest = c.line;
      if (!c.rest.empty()) c.pos = {c.pos.line + 1, 1};
    } else {
      parse_error(start_line, c.pos.line, c.pos.column, kQuote);
    }
  }
}

// The first line that is not empty; throws Error("EOF") (Go's io.EOF) when there is none.
std::string first_line(LineReader& lines) {
  for (;;) {
    std::optional<std::string> line = lines.read_line();
    if (!line) throw Error("EOF");
    if (line->size() != newline_length(*line)) return std::move(*line);
  }
}

}  // namespace

std::vector<std::string> split_csv_fields(std::string_view text) {
  LineReader lines(text);
  Cursor c{first_line(lines), {}, {lines.line_number(), 1}};
  c.rest = c.line;
  const int start_line = lines.line_number();
  std::vector<std::string> fields;
  for (;;) {
    std::string field;
    if (!c.rest.empty() && c.rest[0] == '"') {
      const bool more = read_quoted(lines, c, start_line, field);
      fields.push_back(std::move(field));
      if (!more) return fields;
      continue;
    }
    const size_t comma = c.rest.find(',');
    const std::string_view value = comma == std::string_view::npos
                                       ? c.rest.substr(0, c.rest.size() - newline_length(c.rest))
                                       : c.rest.substr(0, comma);
    if (const size_t quote = value.find('"'); quote != std::string_view::npos)
      parse_error(start_line, c.pos.line, c.pos.column + quote, kBareQuote);
    fields.emplace_back(value);
    if (comma == std::string_view::npos) return fields;
    c.rest.remove_prefix(comma + 1);
    c.pos.column += comma + 1;
  }
}

}  // namespace berth
