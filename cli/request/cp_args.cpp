#include "cli/request/cp_args.h"

namespace berth::cli {

std::optional<std::pair<std::string, std::string>> split_cp_arg(const std::string& arg) {
  if (arg.empty() || arg.front() == '/' || arg.front() == '.') return std::nullopt;
  const size_t colon = arg.find(':');
  if (colon == std::string::npos || colon == 0) return std::nullopt;
  return std::make_pair(arg.substr(0, colon), arg.substr(colon + 1));
}

}  // namespace berth::cli
