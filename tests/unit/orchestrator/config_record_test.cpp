// The fields `up --dry-run` names for a recreate: the dotted paths where two service
// configurations differ.
#include "orchestrator/config_record.h"

#include <gtest/gtest.h>

namespace berth::orchestrator {
namespace {

using Fields = std::vector<std::string>;

TEST(ChangedFields, DottedPathsOfWhatDiffersSorted) {
  EXPECT_EQ(changed_fields(R"({"image":"a","environment":{"A":"1","B":"2"}})",
                           R"({"image":"b","environment":{"A":"1","B":"3","C":"4"}})"),
            (Fields{"environment.B", "environment.C", "image"}));
  EXPECT_EQ(changed_fields(R"({"command":["a","b"]})", R"({"command":["a","c"]})"),
            (Fields{"command"}))
      << "a list differs as a whole";
  EXPECT_EQ(changed_fields(R"({"working_dir":"/x","user":"1"})", R"({"user":"1"})"),
            (Fields{"working_dir"}))
      << "a key gone";
  EXPECT_EQ(changed_fields(R"({"a":{"b":{"c":1}}})", R"({"a":{"b":{"c":2}}})"), (Fields{"a.b.c"}));
  EXPECT_EQ(changed_fields(R"({"a":1})", R"({"a":1})"), Fields{});
  EXPECT_EQ(changed_fields("{", R"({"a":1})"), (Fields{"*"}));
}

}  // namespace
}  // namespace berth::orchestrator
