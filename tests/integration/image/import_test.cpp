// `berth import` and `images` against a real store: file and stdin, --change, layer
// sharing, metadata kept by the extractor, overlay whiteouts, concurrent imports.
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>

#include <fstream>
#include <future>
#include <nlohmann/json.hpp>

#include "tests/security/image/tar_builder.h"
#include "tests/support/harness.h"

namespace berth::test {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> layer_dirs(const TempState& st) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(st.root() / "layers", ec))
    if (e.path().filename().string().size() == 64) out.push_back(e.path() / "diff");
  return out;
}

class ImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!is_root()) GTEST_SKIP() << "needs root";
  }
  TempState st;
};

TEST_F(ImportTest, FilePrintsIdAndImagesListsIt) {
  auto r = st.berth({"import", busybox_tar().string(), "busybox"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(r.out.size(), 72u) << r.out;  // "sha256:<64 hex>\n"
  EXPECT_EQ(r.out.substr(0, 7), "sha256:");
  auto images = st.berth({"images"});
  ASSERT_EQ(images.exit_code, 0) << images.err;
  std::string header = images.out.substr(0, images.out.find('\n'));
  EXPECT_EQ(header.rfind("REPOSITORY   TAG       IMAGE ID       CREATED", 0), 0u) << header;
  EXPECT_EQ(header.substr(header.size() - 7), "   SIZE") << header;
  EXPECT_NE(images.out.find("busybox      latest    " + r.out.substr(7, 12)), std::string::npos)
      << images.out;
  auto q = st.berth({"images", "-q"});
  EXPECT_EQ(q.out, r.out.substr(7, 12) + "\n");
  auto dirs = layer_dirs(st);
  ASSERT_EQ(dirs.size(), 1u);
  EXPECT_TRUE(fs::exists(dirs[0] / "bin" / "busybox"));
  EXPECT_TRUE(fs::is_symlink(dirs[0] / "bin" / "sh"));
}

TEST_F(ImportTest, StdinWithChangesAndMessage) {
  std::string tar = read_all(busybox_tar());
  auto r =
      st.berth({"import", "-", "mini:1", "--change", "CMD [\"httpd\", \"-f\"]", "-c", "ENV A=1 B=2",
                "-c", "WORKDIR /var/www", "-c", "EXPOSE 8080", "-c", "USER www-data", "-c",
                "LABEL k=v", "-c", "ENTRYPOINT [\"/bin/busybox\"]", "-m", "hello"},
               tar);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto inspect = st.berth({"image", "inspect", "mini:1"});
  ASSERT_EQ(inspect.exit_code, 0) << inspect.err;
  auto j = nlohmann::json::parse(inspect.out)[0];
  EXPECT_EQ(j["Id"], r.out.substr(0, 71));
  EXPECT_EQ(j["RepoTags"], nlohmann::json({"mini:1"}));
  EXPECT_EQ(j["Comment"], "hello");
  EXPECT_EQ(j["Config"]["Cmd"], nlohmann::json({"httpd", "-f"}));
  EXPECT_EQ(j["Config"]["Entrypoint"], nlohmann::json({"/bin/busybox"}));
  EXPECT_EQ(j["Config"]["Env"], nlohmann::json({"A=1", "B=2"}));
  EXPECT_EQ(j["Config"]["WorkingDir"], "/var/www");
  EXPECT_EQ(j["Config"]["User"], "www-data");
  EXPECT_TRUE(j["Config"]["ExposedPorts"].contains("8080/tcp"));
  EXPECT_EQ(j["Config"]["Labels"]["k"], "v");
  EXPECT_EQ(j["Architecture"], "amd64");
  EXPECT_EQ(j["Os"], "linux");
  EXPECT_EQ(j["RootFS"]["Type"], "layers");
  EXPECT_EQ(j["RootFS"]["Layers"].size(), 1u);
  EXPECT_GT(j["Size"].get<int64_t>(), 1000);
}

TEST_F(ImportTest, BadChangeFailsWithoutAddingAnything) {
  auto r = st.berth({"import", busybox_tar().string(), "x", "--change", "RUN rm -rf /"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "Error: --change `RUN rm -rf /`: RUN is not a valid change command\n");
  EXPECT_EQ(st.berth({"images", "-q"}).out, "");
}

TEST_F(ImportTest, MissingFileIsOneLineError) {
  auto r = st.berth({"import", "/nonexistent.tar"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "Error: open `/nonexistent.tar`: No such file or directory\n");
}

TEST_F(ImportTest, SameContentSharesOneLayerAcrossCompressions) {
  fs::path gz = st.dir() / "bb.tar.gz";
  ASSERT_EQ(
      run_command({"/bin/sh", "-c", "gzip -c " + busybox_tar().string() + " > " + gz.string()})
          .exit_code,
      0);
  ASSERT_EQ(st.berth({"import", busybox_tar().string(), "a"}).exit_code, 0);
  auto r = st.berth({"import", gz.string(), "b"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(layer_dirs(st).size(), 1u);
  auto j = nlohmann::json::parse(st.berth({"image", "inspect", "a", "b"}).out);
  EXPECT_EQ(j[0]["RootFS"]["Layers"], j[1]["RootFS"]["Layers"]);
}

TEST_F(ImportTest, ConcurrentImportsOfOneTarball) {
  std::vector<std::future<RunResult>> runs;
  for (int i = 0; i < 6; ++i)
    runs.push_back(std::async(std::launch::async, [&, i] {
      return st.berth({"import", busybox_tar().string(), "c:" + std::to_string(i)});
    }));
  for (auto& f : runs) {
    auto r = f.get();
    EXPECT_EQ(r.exit_code, 0) << r.err;
  }
  EXPECT_EQ(layer_dirs(st).size(), 1u);
  auto images = st.berth({"images", "--format", "json"});
  EXPECT_EQ(std::count(images.out.begin(), images.out.end(), '\n'), 6);
  std::error_code ec;
  EXPECT_TRUE(fs::is_empty(st.root() / "layers" / ".tmp", ec) || ec);
}

TEST_F(ImportTest, ExtractorKeepsMetadataAndMakesOverlayWhiteouts) {
  fs::path tar = st.dir() / "meta.tar";
  TarBuilder t;
  t.dir("etc", 0750)
      .file("etc/secret", "s", 04750, {{"user.note", "kept"}})
      .owner(1000, 33)
      .hardlink("etc/secret-link", "etc/secret")
      .symlink("etc/abs", "/etc/secret")
      .owner(7, 8)
      .chardev("null", 1, 3)
      .file(".wh.gone", "")
      .dir("opaque")
      .file("opaque/.wh..wh..opq", "")
      .file("/abs-name", "x");
  t.write(tar);
  auto r = st.berth({"import", tar.string(), "meta"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto dirs = layer_dirs(st);
  ASSERT_EQ(dirs.size(), 1u);
  const fs::path& d = dirs[0];
  struct stat s1 {
  }, s2{}, dev{}, wh{};
  ASSERT_EQ(::lstat((d / "etc/secret").c_str(), &s1), 0);
  ASSERT_EQ(::lstat((d / "etc/secret-link").c_str(), &s2), 0);
  EXPECT_EQ(s1.st_mode & 07777, 04750u);  // set-user-ID survives the chown
  EXPECT_EQ(s1.st_uid, 1000u);
  EXPECT_EQ(s1.st_gid, 33u);
  struct stat sl {};
  ASSERT_EQ(::lstat((d / "etc/abs").c_str(), &sl), 0);
  EXPECT_EQ(sl.st_uid, 7u);
  EXPECT_EQ(sl.st_mtim.tv_sec, 1700000000);
  EXPECT_EQ(s1.st_ino, s2.st_ino);
  EXPECT_EQ(s1.st_mtim.tv_sec, 1700000000);
  struct stat sd {};
  ASSERT_EQ(::lstat((d / "etc").c_str(), &sd), 0);
  EXPECT_EQ(sd.st_mode & 07777, 0750u);
  EXPECT_EQ(sd.st_mtim.tv_sec, 1700000000);
  char v[16] = {};
  EXPECT_EQ(::getxattr((d / "etc/secret").c_str(), "user.note", v, sizeof v), 4);
  EXPECT_EQ(fs::read_symlink(d / "etc/abs"), "/etc/secret");
  ASSERT_EQ(::lstat((d / "null").c_str(), &dev), 0);
  EXPECT_TRUE(S_ISCHR(dev.st_mode));
  EXPECT_EQ(dev.st_rdev, ::makedev(1, 3));
  ASSERT_EQ(::lstat((d / "gone").c_str(), &wh), 0);
  EXPECT_TRUE(S_ISCHR(wh.st_mode));
  EXPECT_EQ(wh.st_rdev, ::makedev(0, 0));
  EXPECT_FALSE(fs::exists(d / ".wh.gone"));
  EXPECT_EQ(::getxattr((d / "opaque").c_str(), "trusted.overlay.opaque", v, sizeof v), 1);
  EXPECT_EQ(v[0], 'y');
  EXPECT_FALSE(fs::exists(d / "opaque" / ".wh..wh..opq"));
  EXPECT_TRUE(fs::exists(d / "abs-name"));
}

TEST_F(ImportTest, ImagesJsonHasDockerKeys) {
  ASSERT_EQ(st.berth({"import", busybox_tar().string(), "busybox"}).exit_code, 0);
  auto r = st.berth({"images", "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  for (const char* k : {"Containers", "CreatedAt", "CreatedSince", "Digest", "ID", "Repository",
                        "SharedSize", "Size", "Tag", "UniqueSize", "VirtualSize"})
    EXPECT_TRUE(j.contains(k)) << k;
  EXPECT_EQ(j["Repository"], "busybox");
  EXPECT_EQ(j["Tag"], "latest");
  EXPECT_EQ(j["ID"].get<std::string>().size(), 12u);
  // docker/cli's json template function turns HTML escaping off (SetEscapeHTML(false)):
  // "<none>" as it is, unlike the daemon's JSON that `inspect` prints.
  EXPECT_NE(r.out.find("\"Digest\":\"<none>\""), std::string::npos) << r.out;
}

}  // namespace
}  // namespace berth::test
