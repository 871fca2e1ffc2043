// Shell word expansion beyond BuildKit's reference rows: pattern modifiers (# ## % %% / //),
// ${VAR?msg}, matched/unmatched variables, the backtick escape, unset variables kept.
#include "dockerfile/shell_lex.h"

#include <gtest/gtest.h>

#include "common/error.h"

namespace berth::dockerfile {
namespace {

std::string expand(std::string_view word, const EnvMap& env) {
  return ShellLex('\\').process_word(word, env);
}

TEST(ShellLex, PatternModifiers) {
  EXPECT_EQ(expand("${FOO#()[]{\\}^$.\\*\\?|\\\\}", {{"FOO", "()[]{}^$.*?|\\x"}}), "x");
  EXPECT_EQ(expand("${FOO%%\\**}", {{"FOO", "xx**"}}), "xx");
  EXPECT_EQ(expand("${FOO#*x*y}", {{"FOO", "xxyy"}}), "y");
  EXPECT_EQ(expand("${FOO#*}", {{"FOO", "xxyy"}}), "xxyy");
  EXPECT_EQ(expand("${FOO#$BAR}", {{"FOO", "xxyy"}, {"BAR", "x"}}), "xyy");
  EXPECT_EQ(expand("${FOO##*x}", {{"FOO", "xxyy"}}), "yy");
  EXPECT_EQ(expand("${FOO#?\\?}", {{"FOO", "???y"}}), "?y");
  EXPECT_EQ(expand("${ABC:-.}${FOO%x}${ABC:-.}", {{"FOO", "xxyy"}}), ".xxyy.");
  EXPECT_EQ(expand("${FOO%%\\**\\*}", {{"FOO", "a***yy*"}}), "a");
  EXPECT_EQ(expand("${FOO%y}", {{"FOO", "xxyy"}}), "xxy");
  EXPECT_EQ(expand("${FOO%%y*}", {{"FOO", "xxyy"}}), "xx");
  EXPECT_EQ(expand("${FOO%}", {{"FOO", "xxyy"}}), "xxyy");
}

TEST(ShellLex, Substitution) {
  EXPECT_EQ(expand("${FOO/$NEEDLE/.} - ${FOO//$NEEDLE/.}",
                   {{"FOO", "/foo*/*/*.txt"}, {"NEEDLE", "\\*/"}}),
            "/foo.*/*.txt - /foo..*.txt");
  EXPECT_EQ(expand("${FOO/$NEEDLE/} - ${FOO//$NEEDLE/}",
                   {{"FOO", "/tmp/tmp/bar.txt"}, {"NEEDLE", "/tmp"}}),
            "/tmp/bar.txt - /bar.txt");
  EXPECT_EQ(
      expand("${FOO/$N/$R} - ${FOO//$N/$R}", {{"FOO", "/a/foo/b/c.txt"}, {"N", "/?/"}, {"R", "/"}}),
      "/foo/b/c.txt - /foo/c.txt");
  EXPECT_EQ(expand("${FOO//\\//\\/}", {{"FOO", "/tmp/foo.txt"}}), "\\/tmp\\/foo.txt");
  EXPECT_EQ(expand("${FOO/$BAR/ww}", {{"FOO", "xxyy"}, {"BAR", ""}}), "wwxxyy");
  EXPECT_THROW(expand("${FOO//ww}", {{"FOO", "xxyy"}}), Error);
  EXPECT_THROW(expand("${FOO//}", {{"FOO", "xxyy"}}), Error);
  EXPECT_EQ(expand("${FOO///}", {{"FOO", "xxyy"}}), "xxyy");
  EXPECT_EQ(expand("${FOO///}", {}), "");
}

TEST(ShellLex, RequiredVariables) {
  EXPECT_EQ(expand("${VAR:?message here$ARG}", {{"VAR", "plain"}, {"ARG", "x"}}), "plain");
  try {
    expand("${VAR:?message here$ARG}", {{"VAR", ""}, {"ARG", "x"}});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "failed to process \"${VAR:?message here$ARG}\": VAR: message herex");
  }
  EXPECT_EQ(expand("${VAR?message}", {{"VAR", ""}}), "");
  EXPECT_THROW(expand("${VAR?message}", {}), Error);
  EXPECT_THROW(expand("${VAR:?}", {}), Error);
  EXPECT_THROW(expand("${FOO=aaa}", {{"FOO", "x"}}), Error);
}

// Errors stay on one line when the word holds a newline (a JSON-form argument may): the word
// is quoted as Go's %q, and the reason's own newlines are escaped.
TEST(ShellLex, ErrorsAreOneLine) {
  try {
    expand("a\n\"b", {});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(),
                 "failed to process \"a\\n\\\"b\": unexpected end of statement while looking for "
                 "matching double-quote");
  }
  try {
    expand("${X?line1\nline2}", {});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos) << e.what();
  }
}

TEST(ShellLex, MatchedAndUnmatched) {
  auto r = ShellLex().process("${FOO-aaa} ${BAR-bbb} ${BAZ-ccc}", {{"FOO", "xxx"}, {"BAR", ""}});
  EXPECT_EQ(r.result, "xxx  ccc");
  EXPECT_EQ(r.matched, (std::set<std::string>{"FOO", "BAR"}));
  EXPECT_EQ(r.unmatched, (std::set<std::string>{"BAZ"}));
  r = ShellLex().process("${FOO:+aaa} ${BAR:+bbb} ${BAZ:+ccc}", {{"FOO", "xxx"}, {"BAR", ""}});
  EXPECT_EQ(r.result, "aaa  ");
}

TEST(ShellLex, BacktickEscape) {
  ShellLex lex('`');
  EXPECT_EQ(lex.process_word("a`$B c\\d", {{"B", "x"}}), "a$B c\\d");
  EXPECT_EQ(lex.process_words("a` b c", {}), (std::vector<std::string>{"a b", "c"}));
}

TEST(ShellLex, SkipUnsetEnvKeepsReferences) {
  ShellLex lex;
  lex.skip_unset_env = true;
  EXPECT_EQ(lex.process_word("$A ${B} ${C:-x} ${D/a/b} $E", {{"E", "e"}}),
            "$A ${B} ${C:-x} ${D/a/b} e");
}

// Patterns run as an automaton, linear in the value: a long value and a pattern with many
// stars that never matches stay fast (a backtracking regex takes exponential time or
// overflows its stack here).
TEST(ShellLex, PatternsOnLongValuesStayLinear) {
  EnvMap env{{"X", std::string(20000, 'a')}};
  EXPECT_EQ(expand("${X//*a*a*a*a*a*a*a*a*b/}", env).size(), 20000u);
  EXPECT_EQ(expand("${X%%a*a*a*b}", env).size(), 20000u);
  EXPECT_EQ(expand("${X#*a}", env).size(), 19999u);
  EXPECT_EQ(expand("${X##*a}", env), "");
  EXPECT_EQ(expand("${X//a/b}", env), std::string(20000, 'b'));
}

}  // namespace
}  // namespace berth::dockerfile
