// The parser's own cases: heredocs, directives, line numbers, errors naming the file.
#include "dockerfile/parser.h"

#include <gtest/gtest.h>

#include "common/error.h"

namespace berth::dockerfile {
namespace {

std::string parse_error_of(std::string_view text, std::string_view file = "Dockerfile") {
  try {
    parse(text, file);
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(Parser, HeredocRun) {
  auto r = parse("FROM busybox\nRUN <<EOF\necho $A\n\techo b\nEOF\nRUN true\n");
  ASSERT_EQ(r.children.size(), 3u);
  const auto& run = r.children[1];
  EXPECT_EQ(dump(run), "run \"<<EOF\"");
  ASSERT_EQ(run.heredocs.size(), 1u);
  EXPECT_EQ(run.heredocs[0].name, "EOF");
  EXPECT_TRUE(run.heredocs[0].expand);
  EXPECT_FALSE(run.heredocs[0].chomp);
  EXPECT_EQ(run.heredocs[0].content, "echo $A\n\techo b\n");
  EXPECT_EQ(run.start_line, 2);
  EXPECT_EQ(run.end_line, 5);
  EXPECT_EQ(r.children[2].start_line, 6);
}

TEST(Parser, HeredocChompQuotedAndSeveral) {
  auto r = parse(
      "FROM x\n"
      "RUN <<-EOF cat - && 3<<'END' cat /dev/fd/3\n"
      "\tone\n"
      "\tEOF\n"
      "two $X\n"
      "END\n"
      "COPY <<\"A\" <<B /dest/\n"
      "a\n"
      "A\n"
      "b\n"
      "B\n");
  const auto& run = r.children[1];
  ASSERT_EQ(run.heredocs.size(), 2u);
  EXPECT_TRUE(run.heredocs[0].chomp);
  EXPECT_EQ(run.heredocs[0].content, "\tone\n");
  EXPECT_EQ(run.heredocs[1].name, "END");
  EXPECT_EQ(run.heredocs[1].fd, 3u);
  EXPECT_FALSE(run.heredocs[1].expand);
  EXPECT_EQ(run.heredocs[1].content, "two $X\n");
  const auto& copy = r.children[2];
  EXPECT_EQ(copy.args, (std::vector<std::string>{"<<\"A\"", "<<B", "/dest/"}));
  ASSERT_EQ(copy.heredocs.size(), 2u);
  EXPECT_FALSE(copy.heredocs[0].expand);
  EXPECT_EQ(copy.heredocs[0].content, "a\n");
  EXPECT_TRUE(copy.heredocs[1].expand);
  EXPECT_EQ(copy.start_line, 7);
  EXPECT_EQ(copy.end_line, 11);
}

TEST(Parser, HeredocNotInJsonFormOrOtherInstructions) {
  auto r = parse("FROM x\nRUN [\"echo\", \"<<EOF\"]\nENV A=<<EOF\n");
  EXPECT_TRUE(r.children[1].heredocs.empty());
  EXPECT_TRUE(r.children[2].heredocs.empty());
}

TEST(Parser, OnbuildHeredoc) {
  auto r = parse("FROM x\nONBUILD RUN <<EOF\nhi\nEOF\n");
  ASSERT_EQ(r.children[1].heredocs.size(), 1u);
  EXPECT_EQ(dump(r.children[1]), "onbuild (run \"<<EOF\")");
}

TEST(Parser, UnterminatedHeredoc) {
  EXPECT_EQ(parse_error_of("FROM x\nRUN <<EOF\nhi\n"), "Dockerfile:2: unterminated heredoc");
}

TEST(Parser, DirectivesOnlyAtTheTop) {
  auto r =
      parse("# syntax=docker/dockerfile:1\n# check=skip=all\n# escape=`\nFROM x\nRUN a `\n b\n");
  EXPECT_EQ(r.escape, '`');
  EXPECT_EQ(dump(r.children[1]), "run \"a  b\"");
  // After an instruction or another comment it is a comment.
  EXPECT_EQ(parse("FROM x\n# escape=`\n").escape, '\\');
  EXPECT_EQ(parse("# hello\n# escape=`\nFROM x\n").escape, '\\');
  EXPECT_EQ(parse("\n# escape=`\nFROM x\n").escape, '\\');
}

TEST(Parser, DirectiveErrors) {
  EXPECT_EQ(parse_error_of("# escape=x\nFROM x\n"),
            "Dockerfile:1: invalid escape token 'x' does not match ` or \\");
  EXPECT_EQ(parse_error_of("# escape=`\n# escape=\\\nFROM x\n"),
            "Dockerfile:2: only one escape parser directive can be used");
}

TEST(Parser, ContinuationsWithCommentsAndEmptyLines) {
  auto r = parse("FROM x\nRUN a \\\n# comment\n\n  b \\\n  # indented comment\n c\nUSER u\n");
  EXPECT_EQ(dump(r.children[1]), "run \"a   b  c\"");
  EXPECT_EQ(r.children[1].start_line, 2);
  EXPECT_EQ(r.children[1].end_line, 7);
  EXPECT_EQ(r.children[2].start_line, 8);
  ASSERT_EQ(r.warnings.size(), 1u);
}

TEST(Parser, CaseInsensitiveKeywordsAndFlags) {
  auto r =
      parse("from --platform=linux/arm64 alpine AS build\nCoPy --from=build --chmod=755 a b\n");
  EXPECT_EQ(dump(r.children[0]), "from [\"--platform=linux/arm64\"] \"alpine\" \"AS\" \"build\"");
  EXPECT_EQ(dump(r.children[1]), "copy [\"--from=build\" \"--chmod=755\"] \"a\" \"b\"");
}

TEST(Parser, ErrorsNameTheFileAndLine) {
  EXPECT_EQ(parse_error_of("FROM x\n\nENV PATH\n", "other.Dockerfile"),
            "other.Dockerfile:3: ENV must have two arguments");
  EXPECT_EQ(parse_error_of("FROM x\nCMD [\"a\", 1]\n"),
            "Dockerfile:2: when using JSON array syntax, arrays must be comprised of strings only");
  EXPECT_EQ(parse_error_of("FROM x\nLABEL a=b c\n"),
            "Dockerfile:2: Syntax error - can't find = in \"c\". Must be of the form: name=value");
  EXPECT_EQ(parse_error_of(""), "Dockerfile:1: file with no instructions");
  EXPECT_EQ(parse_error_of("# a\n# b\n"), "Dockerfile:2: file with no instructions");
}

TEST(Parser, CommentsAndBom) {
  auto r = parse("\xEF\xBB\xBF# about x\nFROM x\n");
  EXPECT_EQ(r.children[0].comments, (std::vector<std::string>{"about x"}));
  EXPECT_EQ(r.children[0].start_line, 2);
}

TEST(Parser, CrLfLineEndings) {
  auto r = parse("FROM x\r\nRUN a \\\r\n b\r\n");
  EXPECT_EQ(dump(r.children[1]), "run \"a  b\"");
}

TEST(Parser, GoQuote) {
  EXPECT_EQ(go_quote("a\"b\\c\n\x01\x7f"), "\"a\\\"b\\\\c\\n\\x01\\x7f\"");
  EXPECT_EQ(go_quote("♥ \xff"), "\"♥ \\xff\"");
  EXPECT_EQ(go_quote("\xc2\xa0"), "\"\\u00a0\"");
}

}  // namespace
}  // namespace berth::dockerfile
