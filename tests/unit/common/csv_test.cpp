// split_csv_fields against Go's encoding/csv: quoted fields holding commas, quotes and
// newlines, and Go's errors (with their columns) for bare and unbalanced quotes.
#include "common/csv.h"

#include <gtest/gtest.h>

#include "common/error.h"

namespace berth {
namespace {

using Fields = std::vector<std::string>;

std::string csv_error(std::string_view text) {
  try {
    split_csv_fields(text);
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(SplitCsvFields, PlainFields) {
  EXPECT_EQ(split_csv_fields("type=bind,source=/a,target=/x"),
            Fields({"type=bind", "source=/a", "target=/x"}));
  EXPECT_EQ(split_csv_fields("a"), Fields({"a"}));
  EXPECT_EQ(split_csv_fields("a,,b,"), Fields({"a", "", "b", ""}));
  EXPECT_EQ(split_csv_fields(" a , b"), Fields({" a ", " b"}));  // spaces are kept
}

TEST(SplitCsvFields, QuotedFieldsHoldCommasAndQuotes) {
  EXPECT_EQ(split_csv_fields(R"(type=bind,"source=/a,b",target=/x)"),
            Fields({"type=bind", "source=/a,b", "target=/x"}));
  EXPECT_EQ(split_csv_fields(R"("a""b",c)"), Fields({"a\"b", "c"}));
  EXPECT_EQ(split_csv_fields(R"("")"), Fields({""}));
  EXPECT_EQ(split_csv_fields(R"("a","")"), Fields({"a", ""}));
  EXPECT_EQ(split_csv_fields("\"two\nlines\",b"), Fields({"two\nlines", "b"}));
}

TEST(SplitCsvFields, OneRecordOfTheFirstLine) {
  EXPECT_EQ(split_csv_fields("a,b\nc,d"), Fields({"a", "b"}));
  EXPECT_EQ(split_csv_fields("\n\na,b\r\n"), Fields({"a", "b"}));
  EXPECT_EQ(split_csv_fields("a,\"b\"\r\n"), Fields({"a", "b"}));
  EXPECT_EQ(split_csv_fields("a,b\r"), Fields({"a", "b"}));
}

TEST(SplitCsvFields, GoErrors) {
  EXPECT_EQ(csv_error(R"(a "word","b")"),
            "parse error on line 1, column 3: bare \" in non-quoted-field");
  EXPECT_EQ(csv_error(R"("a word",b")"),
            "parse error on line 1, column 11: bare \" in non-quoted-field");
  EXPECT_EQ(csv_error(R"(type=bind,source=/a"b)"),
            "parse error on line 1, column 20: bare \" in non-quoted-field");
  EXPECT_EQ(csv_error(R"("a "word","b")"),
            "parse error on line 1, column 4: extraneous or missing \" in quoted-field");
  EXPECT_EQ(csv_error(R"(a,"b)"),
            "parse error on line 1, column 5: extraneous or missing \" in quoted-field");
  EXPECT_EQ(csv_error("\"abc\ndef"),
            "record on line 1; parse error on line 2, column 4: extraneous or missing \" in "
            "quoted-field");
  EXPECT_EQ(csv_error(""), "EOF");
  EXPECT_EQ(csv_error("\n\r\n"), "EOF");
}

}  // namespace
}  // namespace berth
