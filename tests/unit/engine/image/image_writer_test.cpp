// write_image and add_layer_diff against a store in a temp dir: the same inputs give the same
// image, parents' layers and history are kept, timestamps follow SOURCE_DATE_EPOCH, the layer
// is unpacked where containers look for it.
#include "engine/image/image_writer.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "common/atomic_file.h"
#include "common/error.h"
#include "sys/unique_fd.h"
#include "tests/support/harness.h"

namespace berth::engine::image {
namespace {

namespace fs = std::filesystem;

class ImageWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = test::make_temp_dir("berth-unit-");
    paths_.root = dir_ / "root";
    paths_.runroot = dir_ / "run";
    store_.emplace(paths_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // A tree with one file, as a layer on parent_chain.
  NewLayer layer(const std::string& file, const std::string& data,
                 const std::string& parent_chain = "") {
    fs::path t = dir_ / ("tree-" + file);
    fs::create_directories(t);
    write_file_atomic(t / file, data, 0644);
    timespec ts[2] = {{1600000000, 0}, {1600000000, 0}};
    ::utimensat(AT_FDCWD, (t / file).c_str(), ts, 0);
    sys::UniqueFd fd(::open(t.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    return add_layer_diff(*store_, fd.get(), parent_chain, {.clamp_mtime = 1000000000});
  }

  NewImage one_layer_image() {
    NewImage spec;
    spec.layers.push_back(layer("f", "hello"));
    spec.config = {{"Cmd", {"sh"}}, {"Env", {"PATH=/bin"}}};
    spec.history.push_back({.created_by = "/bin/sh -c echo hello > /f"});
    spec.source_date_epoch = 1000000000;
    return spec;
  }

  fs::path dir_;
  Paths paths_;
  std::optional<Store> store_;  // made in SetUp, on the temp paths
};

TEST_F(ImageWriterTest, SameInputsGiveTheSameImage) {
  FileLock content = store_->content_lock();
  Image a = write_image(*store_, one_layer_image());
  Image b = write_image(*store_, one_layer_image());
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.manifest_digest, b.manifest_digest);
  EXPECT_EQ(store_->list().size(), 1u);
  EXPECT_EQ(a.config["created"], "2001-09-09T01:46:40Z");
  EXPECT_EQ(a.config["history"][0]["created"], "2001-09-09T01:46:40Z");
  EXPECT_EQ(a.config["history"][0]["created_by"], "/bin/sh -c echo hello > /f");
  EXPECT_EQ(a.config["config"]["Cmd"], nlohmann::json({"sh"}));
  EXPECT_EQ(a.config["rootfs"]["diff_ids"].size(), 1u);
  EXPECT_EQ(a.manifest["layers"][0]["mediaType"], "application/vnd.oci.image.layer.v1.tar+gzip");
  EXPECT_EQ(a.manifest["config"]["mediaType"], "application/vnd.oci.image.config.v1+json");
  auto dirs = store_->layer_dirs(a);
  ASSERT_EQ(dirs.size(), 1u);
  EXPECT_EQ(read_file(dirs[0] / "f"), "hello");
  EXPECT_TRUE(store_->has_blob(a.manifest["layers"][0]["digest"].get<std::string>()));
}

TEST_F(ImageWriterTest, ChildKeepsTheParentsLayersAndHistoryAndIsTagged) {
  FileLock content = store_->content_lock();
  Image parent = write_image(*store_, one_layer_image());
  NewImage child;
  child.parent = parent;
  child.config = parent_run_config(child.parent);
  EXPECT_EQ(child.config["Cmd"], nlohmann::json({"sh"}));
  child.config["WorkingDir"] = "/srv";
  child.history.push_back({.created_by = "WORKDIR /srv", .empty_layer = true});
  child.layers.push_back(layer("g", "world", parent.chain_ids.back()));
  child.history.push_back({.created = "2020-01-01T00:00:00Z", .created_by = "RUN g"});
  child.author = "me";
  child.comment = "second";
  child.tags.push_back(parse_reference("app:1"));
  Image c = write_image(*store_, child);
  EXPECT_EQ(c.repo_tags, std::vector<std::string>{"app:1"});
  ASSERT_EQ(c.chain_ids.size(), 2u);
  EXPECT_EQ(c.chain_ids[0], parent.chain_ids[0]);
  EXPECT_EQ(c.chain_ids[1], child.layers[0].chain_id);
  EXPECT_EQ(c.manifest["layers"].size(), 2u);
  ASSERT_EQ(c.config["history"].size(), 3u);
  EXPECT_EQ(c.config["history"][1]["empty_layer"], true);
  EXPECT_EQ(c.config["history"][2].contains("empty_layer"), false);
  EXPECT_EQ(c.config["history"][2]["created"], "2020-01-01T00:00:00Z");
  EXPECT_EQ(c.config["author"], "me");
  EXPECT_EQ(c.config["comment"], "second");
  EXPECT_EQ(c.config["config"]["WorkingDir"], "/srv");
  auto dirs = store_->layer_dirs(store_->resolve("app:1"));
  ASSERT_EQ(dirs.size(), 2u);
  EXPECT_EQ(read_file(dirs[1] / "g"), "world");
}

TEST_F(ImageWriterTest, ScratchWithMetadataOnly) {
  NewImage spec;
  spec.config = {{"Cmd", {"x"}}};
  spec.history.push_back({.created_by = "CMD x", .empty_layer = true});
  spec.source_date_epoch = 0;
  Image img = write_image(*store_, spec);
  EXPECT_TRUE(img.chain_ids.empty());
  EXPECT_EQ(img.config["rootfs"]["diff_ids"], nlohmann::json::array());
  EXPECT_EQ(img.config["created"], "1970-01-01T00:00:00Z");
  EXPECT_EQ(img.config["os"], "linux");
}

TEST_F(ImageWriterTest, HistoryMustMatchTheLayers) {
  NewImage spec = one_layer_image();
  spec.history[0].empty_layer = true;
  EXPECT_THROW(write_image(*store_, spec), Error);
  EXPECT_TRUE(store_->list().empty());
}

TEST_F(ImageWriterTest, SourceDateEpochAndTimestamps) {
  EXPECT_EQ(parse_source_date_epoch(nullptr), std::nullopt);
  EXPECT_EQ(parse_source_date_epoch(""), std::nullopt);
  EXPECT_EQ(parse_source_date_epoch("1700000000"), 1700000000);
  EXPECT_THROW(parse_source_date_epoch("-1"), Error);
  EXPECT_THROW(parse_source_date_epoch("12x"), Error);
  EXPECT_THROW(parse_source_date_epoch("99999999999999999999999"), Error);
  EXPECT_EQ(rfc3339_seconds(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(rfc3339_seconds(1000000000), "2001-09-09T01:46:40Z");
}

}  // namespace
}  // namespace berth::engine::image
