// save → rmi → load round trips, docker-archive and OCI layout, digests and IDs kept.
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/support/harness.h"

namespace berth::test {
namespace {

namespace fs = std::filesystem;

class LoadSaveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!is_root()) GTEST_SKIP() << "needs root";
    auto r = st.berth({"import", busybox_tar().string(), "busybox", "-c", "CMD [\"sh\"]"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    id = r.out.substr(0, 71);
    fs::path gz = st.dir() / "bb.tar.gz";
    run_command({"/bin/sh", "-c", "gzip -c " + busybox_tar().string() + " > " + gz.string()});
    r = st.berth({"import", gz.string(), "second:v1"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    id2 = r.out.substr(0, 71);
  }
  nlohmann::json inspect(const std::string& ref) {
    return nlohmann::json::parse(st.berth({"image", "inspect", ref}).out)[0];
  }
  std::string manifest_digest(const std::string& tag) {
    auto index = nlohmann::json::parse(
        run_command({"/bin/cat", (st.root() / "images" / "index.json").string()}).out);
    for (const auto& m : index["manifests"])
      if (m.contains("annotations") &&
          m["annotations"].value("org.opencontainers.image.ref.name", "") == tag)
        return m["digest"];
    return "";
  }
  // Saves both images, removes them, then loads `file` (made from the save by `repack`).
  void round_trip(const std::string& repack) {
    std::string m1 = manifest_digest("busybox:latest"), m2 = manifest_digest("second:v1");
    auto before = inspect("busybox");
    fs::path out = st.dir() / "save.tar";
    auto r = st.berth({"save", "-o", out.string(), "busybox", "second:v1"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    fs::path file = out;
    if (!repack.empty()) {
      fs::create_directories(st.dir() / "x");
      ASSERT_EQ(run_command({"/bin/sh", "-c",
                             "cd " + (st.dir() / "x").string() + " && tar xf " + out.string() +
                                 " && " + repack})
                    .exit_code,
                0);
      file = st.dir() / "x" / "repacked.tar";
    }
    r = st.berth({"rmi", "busybox", "second:v1"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    ASSERT_EQ(st.berth({"images", "-q"}).out, "");
    r = st.berth({"load", "-i", file.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "Loaded image: busybox:latest\nLoaded image: second:v1\n");
    EXPECT_EQ(inspect("busybox")["Id"], id);
    EXPECT_EQ(inspect("second:v1")["Id"], id2);
    EXPECT_EQ(inspect("busybox")["Config"], before["Config"]);
    EXPECT_EQ(inspect("busybox")["RootFS"], before["RootFS"]);
    if (repack.find("index.json") != std::string::npos || repack.empty()) {
      EXPECT_EQ(manifest_digest("busybox:latest"), m1);
      EXPECT_EQ(manifest_digest("second:v1"), m2);
    }
  }
  TempState st;
  std::string id, id2;
};

TEST_F(LoadSaveTest, SaveWritesBothLayouts) {
  fs::path out = st.dir() / "s.tar";
  ASSERT_EQ(st.berth({"save", "-o", out.string(), "busybox"}).exit_code, 0);
  auto list = run_command({"/bin/tar", "tf", out.string()}).out;
  for (const char* m :
       {"manifest.json", "index.json", "oci-layout", "repositories", "blobs/sha256/"})
    EXPECT_NE(list.find(m), std::string::npos) << m;
  auto manifest =
      nlohmann::json::parse(run_command({"/bin/tar", "xOf", out.string(), "manifest.json"}).out);
  EXPECT_EQ(manifest[0]["Config"], "blobs/sha256/" + id.substr(7));
  EXPECT_EQ(manifest[0]["RepoTags"], nlohmann::json({"busybox:latest"}));
  auto index =
      nlohmann::json::parse(run_command({"/bin/tar", "xOf", out.string(), "index.json"}).out);
  EXPECT_EQ(index["manifests"][0]["annotations"]["io.containerd.image.name"],
            "docker.io/library/busybox:latest");
}

TEST_F(LoadSaveTest, RoundTripAsSaved) {
  round_trip("");
}

TEST_F(LoadSaveTest, RoundTripDockerArchiveOnly) {
  round_trip("tar cf repacked.tar manifest.json repositories blobs");
}

TEST_F(LoadSaveTest, RoundTripOciLayoutOnlyCompressed) {
  round_trip("tar cf - oci-layout index.json blobs | gzip > repacked.tar");
}

TEST_F(LoadSaveTest, LegacyDockerArchiveWithSymlinkedLayers) {
  // docker 20.10's layout: <id>/layer.tar, <config hex>.json, a layer symlinked to another.
  fs::path out = st.dir() / "s.tar";
  ASSERT_EQ(st.berth({"save", "-o", out.string(), "busybox"}).exit_code, 0);
  fs::path x = st.dir() / "legacy";
  fs::create_directories(x);
  std::string hex = id.substr(7);
  auto manifest =
      nlohmann::json::parse(run_command({"/bin/tar", "xOf", out.string(), "manifest.json"}).out);
  std::string layer = manifest[0]["Layers"][0];
  std::string script = "cd " + x.string() + " && tar xf " + out.string() +
                       " && mkdir l1 l2 && mv " + layer +
                       " l1/layer.tar && ln -s ../l1/layer.tar l2/layer.tar"
                       " && mv blobs/sha256/" +
                       hex + " " + hex + ".json";
  ASSERT_EQ(run_command({"/bin/sh", "-c", script}).exit_code, 0);
  // The same layer twice: the config lists two diff_ids, so write a config to match.
  nlohmann::json m = {
      {{"Config", hex + ".json"}, {"RepoTags", {"legacy:1"}}, {"Layers", {"l1/layer.tar"}}}};
  std::ofstream(x / "manifest.json") << m.dump();
  ASSERT_EQ(run_command({"/bin/sh", "-c",
                         "cd " + x.string() + " && tar cf ../legacy.tar manifest.json " + hex +
                             ".json l1 l2"})
                .exit_code,
            0);
  ASSERT_EQ(st.berth({"rmi", "busybox"}).exit_code, 0);
  auto r = st.berth({"load", "-i", (st.dir() / "legacy.tar").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "Loaded image: legacy:1\n");
  EXPECT_EQ(inspect("legacy:1")["Id"], id);
}

TEST_F(LoadSaveTest, LoadFromStdinAndRetagReport) {
  fs::path out = st.dir() / "s.tar";
  ASSERT_EQ(st.berth({"save", "-o", out.string(), "second:v1"}).exit_code, 0);
  ASSERT_EQ(st.berth({"tag", "busybox", "second:v1"}).exit_code, 0);  // now points elsewhere
  std::string data = run_command({"/bin/cat", out.string()}).out;
  auto r = st.berth({"load"}, data);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "The image second:v1 already exists, renaming the old one with ID " + id +
                       " to empty string\nLoaded image: second:v1\n");
}

TEST_F(LoadSaveTest, SaveUnknownImageLeavesNoFile) {
  fs::path out = st.dir() / "none.tar";
  auto r = st.berth({"save", "-o", out.string(), "busybox", "nosuch"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "Error: No such image: nosuch\n");
  EXPECT_FALSE(fs::exists(out));
}

TEST_F(LoadSaveTest, LoadGarbageFails) {
  auto r = st.berth({"load"}, std::string(4096, 'z'));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err.substr(0, 7), "Error: ");
}

}  // namespace
}  // namespace berth::test
