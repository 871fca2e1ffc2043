#include "cli/format/tabwriter.h"

#include <algorithm>
#include <vector>

namespace berth::cli::format {

namespace {

constexpr size_t kPadding = 3;

using Line = std::vector<std::string>;

class Formatter {
 public:
  Formatter(const std::vector<Line>& lines, size_t min_width)
      : lines_(lines), min_width_(min_width) {}

  // tabwriter.Writer.format: finds the blocks of lines that have column `widths_.size()`,
  // sizes that column over each block, and recurses for the columns right of it.
  void format(size_t line0, size_t line1) {
    const size_t column = widths_.size();
    for (size_t it = line0; it < line1; ++it) {
      if (column + 1 >= lines_[it].size()) continue;
      write_lines(line0, it);
      line0 = it;
      size_t w = min_width_;
      for (; it < line1 && column + 1 < lines_[it].size(); ++it)
        w = std::max(w, display_width(lines_[it][column]) + kPadding);
      widths_.push_back(w);
      format(line0, it);
      widths_.pop_back();
      line0 = it;
      if (it == line1) break;
    }
    write_lines(line0, line1);
  }

  std::string out;

 private:
  void write_lines(size_t from, size_t to) {
    for (size_t i = from; i < to; ++i) {
      const Line& cells = lines_[i];
      for (size_t j = 0; j < cells.size(); ++j) {
        out += cells[j];
        if (j < widths_.size()) out.append(widths_[j] - display_width(cells[j]), ' ');
      }
      out += '\n';
    }
  }

  const std::vector<Line>& lines_;
  size_t min_width_;
  std::vector<size_t> widths_;
};

}  // namespace

std::string tabwrite(const std::string& text, size_t min_width) {
  std::vector<Line> lines;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string line = text.substr(pos, nl == std::string::npos ? nl : nl - pos);
    Line cells;
    size_t start = 0;
    for (size_t tab; (tab = line.find('\t', start)) != std::string::npos; start = tab + 1)
      cells.push_back(line.substr(start, tab - start));
    cells.push_back(line.substr(start));
    lines.push_back(std::move(cells));
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  Formatter f(lines, min_width);
  f.format(0, lines.size());
  if (!text.empty() && text.back() != '\n' && !f.out.empty()) f.out.pop_back();
  return f.out;
}

size_t display_width(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string ellipsis(const std::string& s, size_t max) {
  if (display_width(s) <= max) return s;
  size_t bytes = 0, chars = 0;
  for (; bytes < s.size(); ++bytes) {
    if ((static_cast<unsigned char>(s[bytes]) & 0xC0) == 0x80) continue;
    if (chars++ == max - 1) break;
  }
  return s.substr(0, bytes) + "…";
}

}  // namespace berth::cli::format
