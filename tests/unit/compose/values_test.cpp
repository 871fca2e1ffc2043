// Interpolation, dotenv and value syntaxes (durations, byte sizes, shell words).
#include <gtest/gtest.h>

#include <map>

#include "compose/dotenv.h"
#include "compose/interpolate.h"
#include "compose/units.h"

namespace berth::compose {
namespace {

Lookup env_of(std::map<std::string, std::string> m) {
  return [m](std::string_view k) -> std::optional<std::string> {
    auto it = m.find(std::string(k));
    if (it == m.end()) return std::nullopt;
    return it->second;
  };
}

TEST(Interpolate, AllOperators) {
  auto env = env_of({{"SET", "v"}, {"EMPTY", ""}});
  EXPECT_EQ(interpolate_string("$SET ${SET} ${SET}x", env), "v v vx");
  // Only $$, ${...} and $NAME interpolate: any other $ stays (compose-go v2).
  EXPECT_EQ(interpolate_string("echo $(date) $1 $$SET cost$", env), "echo $(date) $1 $SET cost$");
  EXPECT_EQ(interpolate_string("${EMPTY:-d} ${EMPTY-d} ${UNSET-d}", env), "d  d");
  EXPECT_EQ(interpolate_string("${SET:+r} ${EMPTY:+r} ${EMPTY+r} ${UNSET+r}", env), "r  r ");
  EXPECT_EQ(interpolate_string("${UNSET:-${SET:-x}-y}", env), "v-y");
  EXPECT_EQ(interpolate_string("$$SET $${SET}", env), "$SET ${SET}");
  EXPECT_EQ(interpolate_string("${EMPTY?ok}", env), "");
}

TEST(Interpolate, RequiredVariables) {
  auto env = env_of({{"EMPTY", ""}});
  EXPECT_THROW(interpolate_string("${UNSET:?boom}", env), InterpolationError);
  EXPECT_THROW(interpolate_string("${EMPTY:?boom}", env), InterpolationError);
  EXPECT_THROW(interpolate_string("${UNSET?boom}", env), InterpolationError);
  try {
    interpolate_string("${UNSET:?boom $$}", env);
  } catch (const InterpolationError& e) {
    EXPECT_STREQ(e.what(), "required variable UNSET is missing a value: boom $");
  }
}

TEST(Interpolate, InvalidSyntax) {
  auto env = env_of({});
  for (const char* bad : {"${}", "${1A}", "${A", "${A:}", "${A*b}"})
    EXPECT_THROW(interpolate_string(bad, env), InterpolationError) << bad;
  for (const char* literal : {"$", "a $ b", "$%", "$(date)", "$1"})
    EXPECT_EQ(interpolate_string(literal, env), literal);
}

TEST(Dotenv, Syntax) {
  auto env = parse_dotenv(
      "# comment\n"
      "\n"
      "export A=1\n"
      "B = spaced  \n"
      "C='single $A \\n'\n"
      "D=\"double ${A}\\n\\\"q\\\"\"\n"
      "E=value # comment\n"
      "F=a#b\n"
      "G=\"multi\nline\"\n"
      "H=${A}-${UNDEFINED:-x}\n"
      "I\n"
      "J=\n"
      "K: colon\n",
      ".env", env_of({{"I", "from-os"}}));
  std::map<std::string, std::string> m(env.begin(), env.end());
  EXPECT_EQ(m["A"], "1");
  EXPECT_EQ(m["B"], "spaced");
  EXPECT_EQ(m["C"], "single $A \\n");
  EXPECT_EQ(m["D"], "double 1\n\"q\"");
  EXPECT_EQ(m["E"], "value");
  EXPECT_EQ(m["F"], "a#b");
  EXPECT_EQ(m["G"], "multi\nline");
  EXPECT_EQ(m["H"], "1-x");
  EXPECT_EQ(m["I"], "from-os");
  EXPECT_EQ(m["J"], "");
  EXPECT_EQ(m["K"], "colon");
}

TEST(Dotenv, RawFormatKeepsEverything) {
  auto env = parse_dotenv("A=${X} 'q' # c\n", "raw.env", env_of({}), true);
  ASSERT_EQ(env.size(), 1u);
  EXPECT_EQ(env[0].second, "${X} 'q' # c");
}

TEST(Dotenv, Errors) {
  EXPECT_THROW(parse_dotenv("A=\"unterminated\n", "e", env_of({})), schema::ComposeError);
  EXPECT_THROW(parse_dotenv("A B=1\n", "e", env_of({})), schema::ComposeError);
  try {
    parse_dotenv("OK=1\n%BAD=1\n", "x.env", env_of({}));
    FAIL();
  } catch (const schema::ComposeError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("x.env:2: ", 0), 0u) << e.what();
  }
}

TEST(Units, Durations) {
  EXPECT_EQ(parse_duration("1m30s"), 90'000'000'000);
  EXPECT_EQ(parse_duration("1.5s"), 1'500'000'000);
  EXPECT_EQ(parse_duration("10ms"), 10'000'000);
  EXPECT_EQ(parse_duration("2h"), 7'200'000'000'000);
  EXPECT_EQ(parse_duration("0"), 0);
  EXPECT_THROW(parse_duration("10"), std::invalid_argument);
  EXPECT_THROW(parse_duration("1d"), std::invalid_argument);
  EXPECT_EQ(format_duration(90'000'000'000), "1m30s");
  EXPECT_EQ(format_duration(3'600'000'000'000), "1h0m0s");
  EXPECT_EQ(format_duration(1'500'000'000), "1.5s");
  EXPECT_EQ(format_duration(500'000'000), "500ms");
  EXPECT_EQ(format_duration(0), "0s");
}

TEST(Units, Bytes) {
  EXPECT_EQ(parse_bytes("1024"), 1024);
  EXPECT_EQ(parse_bytes("512k"), 512 * 1024);
  EXPECT_EQ(parse_bytes("64MB"), 64 << 20);
  EXPECT_EQ(parse_bytes("1.5g"), 1536LL << 20);
  EXPECT_EQ(parse_bytes("1GiB"), 1LL << 30);
  EXPECT_THROW(parse_bytes("12q"), std::invalid_argument);
  EXPECT_THROW(parse_bytes("m"), std::invalid_argument);
}

TEST(Units, ShellSplit) {
  EXPECT_EQ(shell_split("sh -c 'echo \"a b\"'"),
            (std::vector<std::string>{"sh", "-c", "echo \"a b\""}));
  EXPECT_EQ(shell_split("a\\ b \"c\\\"d\" ''"), (std::vector<std::string>{"a b", "c\"d", ""}));
  EXPECT_THROW(shell_split("'open"), std::invalid_argument);
}

}  // namespace
}  // namespace berth::compose
