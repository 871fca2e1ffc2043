// The parser against BuildKit's own test files (parser/testfiles/*/Dockerfile with the dump
// in `result` next to it; parser/testfiles-negative/* must be rejected).
#include <gtest/gtest.h>

#include <algorithm>

#include "common/error.h"
#include "dockerfile/parser.h"
#include "tests/unit/dockerfile/reference_dir.h"

namespace berth::dockerfile {
namespace {

namespace fs = std::filesystem;
using testing::buildkit_dir;
using testing::read_all;

std::vector<fs::path> cases(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_directory()) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

TEST(ParserReference, EveryTestfileDumpsAsBuildKit) {
  auto dir = buildkit_dir() / "parser" / "testfiles";
  if (!fs::is_directory(dir)) GTEST_SKIP() << "no BuildKit reference files at " << dir;
  std::vector<std::string> failed;
  size_t n = 0;
  for (const auto& c : cases(dir)) {
    ++n;
    std::string name = c.filename().string();
    std::string want = read_all(c / "result");
    std::string got;
    try {
      got = dump(parse(read_all(c / "Dockerfile"))) + "\n";
    } catch (const Error& e) {
      got = std::string("error: ") + e.what() + "\n";
    }
    if (got != want) {
      failed.push_back(name);
      ADD_FAILURE() << name << ":\n--- want\n" << want << "--- got\n" << got;
    }
  }
  EXPECT_GT(n, 0u);
  std::string list;
  for (const auto& f : failed) list += " " + f;
  EXPECT_TRUE(failed.empty()) << failed.size() << " of " << n << " failed:" << list;
}

TEST(ParserReference, EveryNegativeTestfileIsRejected) {
  auto dir = buildkit_dir() / "parser" / "testfiles-negative";
  if (!fs::is_directory(dir)) GTEST_SKIP() << "no BuildKit reference files at " << dir;
  size_t n = 0;
  for (const auto& c : cases(dir)) {
    ++n;
    std::string text = read_all(c / "Dockerfile");
    EXPECT_THROW(parse(text), Error) << c.filename();
    try {
      parse(text);
    } catch (const Error& e) {
      // One line, naming the file and a line.
      EXPECT_EQ(std::string(e.what()).rfind("Dockerfile:", 0), 0u) << e.what();
      EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos) << e.what();
    }
  }
  EXPECT_GT(n, 0u);
}

}  // namespace
}  // namespace berth::dockerfile
