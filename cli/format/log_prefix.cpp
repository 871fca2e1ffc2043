#include "cli/format/log_prefix.h"

#include <algorithm>

namespace berth::cli::format {

const char* log_colour(size_t index) {
  // Compose's rainbow: cyan, yellow, green, magenta, blue, then the same in bold.
  static constexpr const char* kRainbow[] = {"36",   "33",   "32",   "35",   "34",
                                             "36;1", "33;1", "32;1", "35;1", "34;1"};
  return kRainbow[index % std::size(kRainbow)];
}

std::string log_name(const std::string& container_name, const std::string& project,
                     const std::string& service, int number) {
  if (container_name == project + "-" + service + "-" + std::to_string(number))
    return container_name.substr(project.size() + 1);
  return container_name;
}

LogPrefixer::LogPrefixer(std::vector<std::string> names, bool colour, bool prefix)
    : names_(std::move(names)), prefixes_(names_.size()), colour_(colour) {
  if (!prefix) return;
  size_t width = 0;
  for (const auto& n : names_) width = std::max(width, n.size());
  for (size_t i = 0; i < names_.size(); ++i)
    prefixes_[i] = paint(i, names_[i] + std::string(width + 1 - names_[i].size(), ' ') + " | ");
}

std::string LogPrefixer::paint(size_t i, const std::string& s) const {
  if (!colour_) return s;
  return std::string("\033[") + log_colour(i) + "m" + s + "\033[0m";
}

std::string LogPrefixer::line(size_t i, std::string_view text, std::string_view time) const {
  if (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  std::string out = prefixes_[i];
  out.reserve(out.size() + time.size() + text.size() + 2);
  if (!time.empty()) out.append(time).push_back(' ');
  out.append(text).push_back('\n');
  return out;
}

std::string LogPrefixer::status(size_t i, const std::string& message) const {
  return paint(i, names_[i] + " " + message) + "\n";
}

}  // namespace berth::cli::format
