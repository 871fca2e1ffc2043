#include "cli/image_format.h"

#include <algorithm>
#include <cstdio>

#include "cli/format/tabwriter.h"

namespace berth::cli {

std::string go_time_string(std::time_t t) {
  std::tm tm{};
  ::localtime_r(&t, &tm);
  char buf[96];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S %z %Z", &tm);
  return buf;
}

void print_table(const std::vector<std::vector<std::string>>& rows) {
  std::string text;
  for (const auto& r : rows) {
    for (size_t i = 0; i < r.size(); ++i) text += (i ? "\t" : "") + r[i];
    text += "\n";
  }
  std::fputs(format::tabwrite(text).c_str(), stdout);
}

}  // namespace berth::cli
