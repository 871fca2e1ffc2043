#include "core/state/names.h"

#include <gtest/gtest.h>

#include "common/error.h"

namespace berth::core::state {
namespace {

TEST(Names, Valid) {
  EXPECT_EQ(validate_name("web"), "web");
  EXPECT_EQ(validate_name("/web-1.a_b"), "web-1.a_b");
}

TEST(Names, Invalid) {
  for (const char* bad : {"", "a", "-web", "web space", "we/b", "_x", "ü"}) {
    try {
      validate_name(bad);
      ADD_FAILURE() << bad;
    } catch (const Error& e) {
      EXPECT_EQ(e.exit_code(), 125);
      EXPECT_NE(std::string(e.what()).find("Invalid container name"), std::string::npos);
    }
  }
}

TEST(Names, RandomNamesAreValidAdjectiveSurname) {
  for (int i = 0; i < 50; ++i) {
    auto n = random_name();
    EXPECT_EQ(validate_name(n), n);
    EXPECT_NE(n.find('_'), std::string::npos);
  }
}

}  // namespace
}  // namespace berth::core::state
