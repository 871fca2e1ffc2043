// Where BuildKit's parser and shell test files are: $BERTH_REFERENCE_DIR, else
// ../shared/reference beside the source tree. Tests GTEST_SKIP() when it is absent; the data is
// never copied into the repository.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace berth::dockerfile::testing {

inline std::filesystem::path reference_dir() {
  if (const char* env = std::getenv("BERTH_REFERENCE_DIR"); env && *env) return env;
  return std::filesystem::path(BERTH_SOURCE_DIR) / ".." / "shared" / "reference";
}

inline std::filesystem::path buildkit_dir() {
  return reference_dir() / "buildkit-dockerfile";
}

inline std::string read_all(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace berth::dockerfile::testing
