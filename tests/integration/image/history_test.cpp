// `berth history` on images made by import and commit: one line per step, newest first, the
// image ID on the top line only, each step's layer size (0B for a commit that changed
// nothing), --no-trunc, -q, --human=false, --format, and a missing image.
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "tests/support/harness.h"

namespace berth::test {
namespace {

class HistoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!is_root()) GTEST_SKIP() << "needs root";
    st.import_busybox();
    // snap:1 = busybox + a layer with /new; snap:2 = snap:1 + a step without a layer.
    ASSERT_EQ(st.berth({"run", "--name", "c1", "busybox", "sh", "-c", "echo hi > /new"}).exit_code,
              0);
    auto c1 = st.berth({"commit", "-m", "added new", "c1", "snap:1"});
    ASSERT_EQ(c1.exit_code, 0) << c1.err;
    ASSERT_EQ(st.berth({"run", "--name", "c2", "snap:1", "true"}).exit_code, 0);
    auto c2 = st.berth({"commit", "c2", "snap:2"});
    ASSERT_EQ(c2.exit_code, 0) << c2.err;
    id = c2.out.substr(0, 71);
  }
  std::vector<std::string> lines(const std::vector<std::string>& args) {
    auto r = st.berth(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::vector<std::string> out;
    std::istringstream in(r.out);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
  }
  TempState st;
  std::string id;
};

TEST_F(HistoryTest, OneLinePerStepNewestFirst) {
  auto out = lines({"history", "snap:2"});
  ASSERT_EQ(out.size(), 4u) << ::testing::PrintToString(out);
  EXPECT_TRUE(std::regex_match(out[0], std::regex("IMAGE +CREATED +CREATED BY +SIZE +COMMENT")))
      << out[0];
  const std::string ago = "(Less than a second|[0-9]+ seconds?) ago";
  EXPECT_TRUE(std::regex_match(out[1], std::regex(id.substr(7, 12) + " +" + ago + " +true +0B +")))
      << out[1];
  EXPECT_TRUE(std::regex_match(
      out[2], std::regex("<missing> +" + ago + " +sh -c echo hi > /new +[0-9]+B +added new")))
      << out[2];
  EXPECT_TRUE(std::regex_match(
      out[3], std::regex("<missing> +" + ago + " +[0-9.]+MB +Imported from .*busybox.tar")))
      << out[3];
  EXPECT_EQ(lines({"image", "history", "snap:2"}), out);
}

TEST_F(HistoryTest, FlagsAndFormats) {
  EXPECT_EQ(lines({"history", "-q", "snap:2"}),
            std::vector<std::string>({id.substr(7, 12), "<missing>", "<missing>"}));
  EXPECT_EQ(lines({"history", "-q", "--no-trunc", "snap:2"}),
            std::vector<std::string>({id, "<missing>", "<missing>"}));
  // Sizes in bytes: the layers' unpacked sizes, which add up to the image's size.
  auto sizes = lines({"history", "--human=false", "--format", "{{.Size}}", "snap:2"});
  ASSERT_EQ(sizes.size(), 3u);
  EXPECT_EQ(sizes[0], "0");
  auto inspect = nlohmann::json::parse(st.berth({"image", "inspect", "snap:2"}).out);
  EXPECT_EQ(std::stoll(sizes[1]) + std::stoll(sizes[2]), inspect[0]["Size"].get<int64_t>());
  auto at = lines({"history", "--human=false", "snap:2"});
  ASSERT_EQ(at.size(), 4u);
  EXPECT_TRUE(std::regex_search(at[0], std::regex("^IMAGE +CREATED AT +CREATED BY"))) << at[0];
  EXPECT_TRUE(std::regex_search(
      at[1],
      std::regex(" [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}(Z|[+-][0-9]{2}:[0-9]{2}) +true +0 ")))
      << at[1];
  auto json = lines({"history", "--format", "json", "snap:1"});
  ASSERT_EQ(json.size(), 2u);
  auto top = nlohmann::json::parse(json[0]);
  EXPECT_EQ(top["ID"], lines({"images", "-q", "snap:1"}).at(0));
  EXPECT_EQ(top["CreatedBy"], "sh -c echo hi > /new");
  EXPECT_EQ(top["Comment"], "added new");
}

TEST_F(HistoryTest, AMissingImage) {
  auto r = st.berth({"history", "nosuch"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "Error: No such image: nosuch\n");
  EXPECT_EQ(r.out, "");
}

}  // namespace
}  // namespace berth::test
