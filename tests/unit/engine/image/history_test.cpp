// history_items: config history entries, newest first, matched to the layers in order (empty
// layers take 0), the image ID on the top entry only, and images without a history.
#include "engine/image/history.h"

#include <gtest/gtest.h>

#include "common/error.h"

namespace berth::engine::image {
namespace {

using nlohmann::json;

const char* kImageId = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

// busybox imported, a RUN that made a layer, a CMD that made none, a commit's layer.
json history_config() {
  return {{"created", "2026-12-08T00:00:40Z"},
          {"history",
           {{{"created", "2026-12-08T00:00:00Z"}, {"comment", "Imported from -"}},
            {{"created", "2026-12-08T00:00:10Z"}, {"created_by", "/bin/sh -c echo hi > /a"}},
            {{"created", "2026-12-08T00:00:20Z"},
             {"created_by", "/bin/sh -c #(nop)  CMD [\"sh\"]"},
             {"empty_layer", true}},
            {{"created", "2026-12-08T00:00:30Z"},
             {"created_by", "sh -c rm /a"},
             {"comment", "snapshot"}}}},
          {"rootfs", {{"type", "layers"}, {"diff_ids", {"sha256:a", "sha256:b", "sha256:c"}}}}};
}

TEST(HistoryItems, NewestFirstWithTheirLayersSizes) {
  auto items = history_items(kImageId, history_config(), {4000000, 6, 0});
  ASSERT_EQ(items.size(), 4u);
  EXPECT_EQ(items[0].id, kImageId);
  EXPECT_EQ(items[0].created_by, "sh -c rm /a");
  EXPECT_EQ(items[0].comment, "snapshot");
  EXPECT_EQ(items[0].size, 0);
  EXPECT_EQ(items[0].created, 1796688030);
  EXPECT_EQ(items[1].id, "<missing>");
  EXPECT_EQ(items[1].created_by, "/bin/sh -c #(nop)  CMD [\"sh\"]");
  EXPECT_EQ(items[1].size, 0);
  EXPECT_EQ(items[2].created_by, "/bin/sh -c echo hi > /a");
  EXPECT_EQ(items[2].size, 6);
  EXPECT_EQ(items[3].id, "<missing>");
  EXPECT_EQ(items[3].comment, "Imported from -");
  EXPECT_EQ(items[3].created_by, "");
  EXPECT_EQ(items[3].size, 4000000);
  EXPECT_EQ(items[3].created, 1796688000);
}

TEST(HistoryItems, AnImageWithoutHistoryShowsOneLinePerLayer) {
  json config = history_config();
  config.erase("history");
  auto items = history_items(kImageId, config, {100, 200});
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].id, kImageId);
  EXPECT_EQ(items[0].size, 200);
  EXPECT_EQ(items[1].id, "<missing>");
  EXPECT_EQ(items[1].size, 100);
  EXPECT_EQ(items[1].created, 1796688040);  // the image's created time
  EXPECT_EQ(items[1].created_by, "");
}

TEST(HistoryItems, AnEntryWithoutCreatedTakesTheImages) {
  json config = {{"created", "2026-12-08T00:00:40Z"}, {"history", {{{"created_by", "x"}}}}};
  auto items = history_items(kImageId, config, {1});
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].created, 1796688040);
}

TEST(HistoryItems, FieldsOfTheWrongTypeReadAsAbsent) {
  json config = {
      {"history",
       {{{"created", 5}, {"created_by", json::array()}, {"empty_layer", "yes"}}, "not an object"}}};
  auto items = history_items(kImageId, config, {7});
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].created_by, "");
  EXPECT_EQ(items[0].size, 7);
}

TEST(HistoryItems, MoreLayerStepsThanLayersIsAnError) {
  try {
    history_items(kImageId, history_config(), {1, 2});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "too many non-empty layers in History section");
  }
}

}  // namespace
}  // namespace berth::engine::image
