// A volume whose meta.json does not parse is still listed (its data is there), with a
// warning that names it, never silently with empty labels and options.
#include <gtest/gtest.h>

#include <fstream>

#include "tests/integration/container/container_helpers.h"

namespace berth::test {
namespace {

namespace fs = std::filesystem;

TEST(VolumeMetaTest, UnreadableMetaIsNamed) {
  BERTH_NEED_ROOT();
  TempState st;
  auto r = st.berth({"volume", "create", "--label", "k=v", "odd"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::ofstream(st.root() / "volumes" / "odd" / "meta.json") << "{not json";
  r = st.berth({"volume", "ls", "-q"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "odd\n");
  EXPECT_NE(r.err.find("warning: volume odd: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("meta.json"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace berth::test
