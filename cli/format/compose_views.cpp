#include "cli/format/compose_views.h"

#include <algorithm>
#include <map>

#include "cli/format/tabwriter.h"

namespace berth::cli::format {

std::string combined_status(const std::vector<std::string>& states) {
  std::map<std::string, int> counts;
  for (const auto& s : states) ++counts[s];
  std::string out;
  for (const auto& [state, n] : counts)
    out += (out.empty() ? "" : ", ") + state + "(" + std::to_string(n) + ")";
  return out;
}

std::string combined_config_files(const std::vector<std::string>& labels) {
  std::vector<std::string> files;
  for (const auto& label : labels) {
    size_t start = 0;
    for (;;) {
      const size_t comma = label.find(',', start);
      std::string f = label.substr(start, comma == std::string::npos ? comma : comma - start);
      if (std::find(files.begin(), files.end(), f) == files.end()) files.push_back(std::move(f));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  std::string out;
  for (const auto& f : files) out += (out.empty() ? "" : ",") + f;
  return out;
}

std::string compose_top_table(const std::vector<std::string>& titles,
                              const std::vector<std::vector<std::string>>& rows) {
  std::string text;
  for (size_t i = 0; i < titles.size(); ++i) text += (i ? "\t" : "") + titles[i];
  text += "\n";
  for (const auto& row : rows) {
    for (const auto& cell : row) text += cell + "\t";
    text += "\n";
  }
  return tabwrite(text, 5);
}

}  // namespace berth::cli::format
