// The shell word lexer against BuildKit's shell/envVarTest (ProcessWord) and shell/wordsTest
// (ProcessWords): every all-platform (A|) and unix (U|) row; windows rows (W|) are skipped.
#include <gtest/gtest.h>

#include "common/error.h"
#include "dockerfile/shell_lex.h"
#include "tests/unit/dockerfile/reference_dir.h"

namespace berth::dockerfile {
namespace {

namespace fs = std::filesystem;
using testing::buildkit_dir;
using testing::read_all;

std::string trim(std::string s) {
  const char* ws = " \t\r\n\v\f";
  s.erase(0, s.find_first_not_of(ws));
  s.erase(s.find_last_not_of(ws) + 1);
  return s;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i)
    if (i == s.size() || s[i] == sep) {
      out.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  return out;
}

TEST(ShellLexReference, EnvVarTest) {
  auto file = buildkit_dir() / "shell" / "envVarTest";
  if (!fs::exists(file)) GTEST_SKIP() << "no BuildKit reference files at " << file;
  const EnvMap env = build_envs({"PWD=/home", "SHELL=bash", "KOREAN=한국어", "NULL="});
  ShellLex lex('\\');
  int line_no = 0, checked = 0, failed = 0;
  for (const auto& raw : split(read_all(file), '\n')) {
    ++line_no;
    if (raw.rfind("#", 0) == 0 || trim(raw).empty()) continue;
    auto parts = split(trim(raw), '|');
    ASSERT_EQ(parts.size(), 3u) << "line " << line_no;
    std::string platform = trim(parts[0]), source = trim(parts[1]), expected = trim(parts[2]);
    if (platform == "W") continue;
    ASSERT_TRUE(platform == "A" || platform == "U") << "line " << line_no;
    ++checked;
    std::string got;
    try {
      got = lex.process_word(source, env);
    } catch (const Error& e) {
      got = "error";
    }
    if (got != expected) {
      ++failed;
      ADD_FAILURE() << "line " << line_no << ": " << source << " → '" << got << "', want '"
                    << expected << "'";
    }
  }
  EXPECT_GT(checked, 100);
  EXPECT_EQ(failed, 0) << failed << " of " << checked << " rows failed";
}

TEST(ShellLexReference, WordsTest) {
  auto file = buildkit_dir() / "shell" / "wordsTest";
  if (!fs::exists(file)) GTEST_SKIP() << "no BuildKit reference files at " << file;
  std::vector<std::string> envs;
  ShellLex lex('\\');
  int line_no = 0, checked = 0;
  for (const auto& line : split(read_all(file), '\n')) {
    ++line_no;
    if (line.rfind("#", 0) == 0) continue;
    if (line.rfind("ENV ", 0) == 0) {
      std::string e = line.substr(3);
      e.erase(0, e.find_first_not_of(' '));
      envs.push_back(e);
      continue;
    }
    if (line.empty()) continue;
    auto parts = split(line, '|');
    ASSERT_EQ(parts.size(), 2u) << "line " << line_no;
    std::string test = trim(parts[0]);
    std::string want_s = parts[1];
    want_s.erase(0, want_s.find_first_not_of(' '));
    auto want = split(want_s, ',');
    std::vector<std::string> got;
    try {
      got = lex.process_words(test, build_envs(envs));
    } catch (const Error& e) {
      got = {"error"};
    }
    ++checked;
    EXPECT_EQ(got, want) << "line " << line_no << ": " << test;
  }
  EXPECT_GT(checked, 15);
}

}  // namespace
}  // namespace berth::dockerfile
