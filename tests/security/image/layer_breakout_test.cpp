// Hostile layers, modelled on containerd's pkg/archive TestBreakouts: each tarball tries
// to write, link, whiteout or chmod outside the layer. `berth import` must refuse it (one
// line naming the entry, no layer or image left) or confine it inside the layer; either
// way a sentinel directory outside the store, and /tmp, stay exactly as they were.
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <fstream>
#include <functional>
#include <map>
#include <sstream>

#include "tests/security/image/tar_builder.h"
#include "tests/support/harness.h"

namespace berth::test {
namespace {

namespace fs = std::filesystem;

// Everything observable about a tree, links not followed.
std::map<std::string, std::string> snapshot(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (auto it = fs::recursive_directory_iterator(dir); it != fs::recursive_directory_iterator();
       ++it) {
    struct stat st {};
    ::lstat(it->path().c_str(), &st);
    std::ostringstream s;
    s << st.st_mode << ":" << st.st_uid << ":" << st.st_size << ":" << st.st_mtim.tv_sec << ":"
      << st.st_mtim.tv_nsec << ":" << st.st_nlink;
    if (S_ISREG(st.st_mode)) {
      std::ifstream f(it->path());
      s << ":" << std::string(std::istreambuf_iterator<char>(f), {});
    }
    char xattrs[1024];
    ssize_t n = ::llistxattr(it->path().c_str(), xattrs, sizeof xattrs);
    if (n > 0) s << ":x=" << std::string(xattrs, static_cast<size_t>(n));
    out[it->path().string()] = s.str();
  }
  return out;
}

struct Ctx {
  std::string sentinel;  // absolute path of the sentinel directory
  std::string up;        // enough "../" to reach / from anywhere in the store
  std::string pwned;     // an absolute path in /tmp that must never appear
};

enum class Expect { kRefused, kConfined };

struct Case {
  std::string name;
  Expect expect;
  std::function<void(TarBuilder&, const Ctx&)> build;
  // For kConfined: checks on the unpacked layer directory.
  std::function<void(const fs::path& diff, const Ctx&)> check = nullptr;
};

// ctest shows the case's name instead of gtest's byte dump of the struct.
void PrintTo(const Case& c, std::ostream* os) {
  *os << c.name;
}

std::string rel(const std::string& abs) {
  return abs.substr(1);
}

const std::vector<Case>& cases() {
  static const std::vector<Case> all = {
      {"DotDotFile", Expect::kRefused,
       [](TarBuilder& t, const Ctx& c) { t.file(c.up + rel(c.sentinel) + "/pwned", "x"); }},
      {"DotDotNested", Expect::kRefused,
       [](TarBuilder& t, const Ctx& c) { t.dir("a").file("a/../../" + c.up + rel(c.pwned), "x"); }},
      {"DotDotDirectory", Expect::kRefused,
       [](TarBuilder& t, const Ctx& c) { t.dir(c.up + rel(c.sentinel) + "/newdir"); }},
      {"DotDotLongPaxName", Expect::kRefused,
       [](TarBuilder& t, const Ctx& c) {
         t.file(std::string(120, 'a') + "/../../" + c.up + rel(c.pwned), "x");
       }},
      {"AbsoluteFileIsConfined", Expect::kConfined,
       [](TarBuilder& t, const Ctx& c) { t.file(c.sentinel + "/abs", "confined"); },
       [](const fs::path& diff, const Ctx& c) {
         EXPECT_TRUE(fs::exists(diff / rel(c.sentinel) / "abs"));
       }},
      {"SymlinkAbsoluteThenFile", Expect::kRefused,
       [](TarBuilder& t, const Ctx& c) {
         t.symlink("localetc", c.sentinel).file("localetc/pwned", "x");
       }},
      // A symlink is data: a relative target that climbs above the layer is stored as it is
      // (containerd does the same) and means the container's root once mounted; no step of
      // extraction follows it, so the entries after it below are refused or confined.
      {"SymlinkRelativeEscapeStoredAsIs", Expect::kConfined,
       [](TarBuilder& t, const Ctx& c) { t.symlink("up", c.up + rel(c.sentinel)); },
       [](const fs::path& diff, const Ctx& c) {
         EXPECT_EQ(fs::read_symlink(diff / "up").string(), c.up + rel(c.sentinel));
       }},
      {"SymlinkUpAndOutNestedStoredAsIs", Expect::kConfined,
       [](TarBuilder& t, const Ctx&) { t.dir("a").dir("a/b").symlink("a/b/c", "../../../etc"); },
       [](const fs::path& diff, const Ctx&) {
         EXPECT_EQ(fs::read_symlink(diff / "a/b/c").string(), "../../../etc");
       }},
      {"SymlinkUpThenFile", Expect::kRefused,
       [](TarBuilder& t, const Ctx&) {
         t.dir("a").symlink("a/l", "../..").file("a/l/pwned", "x");
       }},
      {"SymlinkClimbingThenFileThrough", Expect::kRefused,
       [](TarBuilder& t, const Ctx& c) {
         t.symlink("link", c.up + rel(c.pwned)).file("link/evil", "x");
       }},
      {"SymlinkClimbingToSentinelThenFileThrough", Expect::kRefused,
       [](TarBuilder& t, const Ctx& c) {
         t.symlink("link", c.up + rel(c.sentinel)).file("link/pwned", "x");
       }},
      {"SymlinkClimbingThenDirThrough", Expect::kRefused,
       [](TarBuilder& t, const Ctx& c) {
         t.symlink("link", c.up + rel(c.sentinel)).dir("link/sub");
       }},
      {"SymlinkClimbingThenHardlinkThrough", Expect::kRefused,
       [](TarBuilder& t, const Ctx& c) {
         t.symlink("link", c.up + rel(c.sentinel)).hardlink("hl", "link/passwd");
       }},
      {"SymlinkClimbingThenWhiteoutThrough", Expect::kRefused,
       [](TarBuilder& t, const Ctx& c) {
         t.symlink("link", c.up + rel(c.sentinel)).file("link/.wh.passwd", "");
       }},
      {"SymlinkClimbingToFileThenHardlinkToIt", Expect::kConfined,
       [](TarBuilder& t, const Ctx& c) {
         t.symlink("s", c.up + rel(c.sentinel) + "/passwd").hardlink("h", "s");
       },
       [](const fs::path& diff, const Ctx& c) {
         // The hardlink is a second name of the symlink itself, never of what it names.
         EXPECT_TRUE(fs::is_symlink(fs::symlink_status(diff / "h")));
         EXPECT_EQ(fs::read_symlink(diff / "h").string(), c.up + rel(c.sentinel) + "/passwd");
       }},
      {"SymlinkClimbingToFileThenOverwritten", Expect::kConfined,
       [](TarBuilder& t, const Ctx& c) {
         t.symlink("f", c.up + rel(c.sentinel) + "/passwd").file("f", "replaced");
       },
       [](const fs::path& diff, const Ctx&) {
         EXPECT_TRUE(fs::is_regular_file(fs::symlink_status(diff / "f")));
       }},
      {"SymlinkClimbingOwnerAndTimesNotFollowed", Expect::kConfined,
       [](TarBuilder& t, const Ctx& c) {
         t.symlink("s", c.up + rel(c.sentinel) + "/passwd").owner(1234, 1234);
         t.symlink("d", c.up + rel(c.sentinel)).owner(1234, 1234);
       },
       [](const fs::path& diff, const Ctx&) {
         struct stat st {};
         ASSERT_EQ(::lstat((diff / "s").c_str(), &st), 0);
         EXPECT_EQ(st.st_uid, 1234u);
       }},
      {"SymlinkInsideThenFileThrough", Expect::kRefused,
       [](TarBuilder& t, const Ctx&) { t.dir("d").symlink("l", "d").file("l/x", "x"); }},
      {"SymlinkChainToRoot", Expect::kRefused,
       [](TarBuilder& t, const Ctx& c) {
         t.symlink("l1", "/").symlink("l2", "l1" + c.sentinel).file("l2/pwned", "x");
       }},
      {"SymlinkParentDirectoryTrailingSlash", Expect::kRefused,
       [](TarBuilder& t, const Ctx& c) {
         t.symlink("localetc", c.sentinel + "/").file("localetc/", "x").file("localetc/p", "x");
       }},
      {"SymlinkReplacedByFile", Expect::kConfined,
       [](TarBuilder& t, const Ctx& c) {
         t.symlink("f", c.sentinel + "/passwd").file("f", "replaced");
       },
       [](const fs::path& diff, const Ctx&) {
         EXPECT_TRUE(fs::is_regular_file(fs::symlink_status(diff / "f")));
       }},
      {"SymlinkReplacedByDirectory", Expect::kConfined,
       [](TarBuilder& t, const Ctx& c) { t.symlink("d", c.sentinel).dir("d").file("d/x", "x"); },
       [](const fs::path& diff, const Ctx&) {
         EXPECT_TRUE(fs::is_directory(fs::symlink_status(diff / "d")));
       }},
      {"HardlinkDotDot", Expect::kRefused,
       [](TarBuilder& t, const Ctx& c) { t.hardlink("hl", c.up + rel(c.sentinel) + "/passwd"); }},
      {"HardlinkAbsoluteOutside", Expect::kRefused,
       [](TarBuilder& t, const Ctx& c) { t.hardlink("hl", c.sentinel + "/passwd"); }},
      {"HardlinkThroughSymlink", Expect::kRefused,
       [](TarBuilder& t, const Ctx& c) { t.symlink("l", c.sentinel).hardlink("hl", "l/passwd"); }},
      {"HardlinkToDirectory", Expect::kRefused,
       [](TarBuilder& t, const Ctx&) { t.dir("d").hardlink("hl", "d"); }},
      {"HardlinkSymlinkThenOverwrite", Expect::kConfined,
       [](TarBuilder& t, const Ctx& c) {
         t.symlink("s", c.sentinel + "/passwd").hardlink("h", "s").file("h", "overwritten");
       },
       [](const fs::path& diff, const Ctx&) {
         EXPECT_TRUE(fs::is_symlink(fs::symlink_status(diff / "s")));
         EXPECT_TRUE(fs::is_regular_file(fs::symlink_status(diff / "h")));
       }},
      {"WhiteoutDotDot", Expect::kRefused,
       [](TarBuilder& t, const Ctx&) { t.dir("a").file("a/.wh...", ""); }},
      {"WhiteoutParentPath", Expect::kRefused,
       [](TarBuilder& t, const Ctx& c) { t.file(c.up + rel(c.sentinel) + "/.wh.passwd", ""); }},
      {"WhiteoutRootEmptyName", Expect::kRefused,
       [](TarBuilder& t, const Ctx&) { t.file(".wh.", ""); }},
      {"WhiteoutCurrentDirectory", Expect::kRefused,
       [](TarBuilder& t, const Ctx&) { t.file("./.wh..", ""); }},
      {"WhiteoutThroughSymlink", Expect::kRefused,
       [](TarBuilder& t, const Ctx& c) { t.symlink("l", c.sentinel).file("l/.wh.passwd", ""); }},
      {"OpaqueThroughSymlink", Expect::kRefused,
       [](TarBuilder& t, const Ctx& c) { t.symlink("l", c.sentinel).file("l/.wh..wh..opq", ""); }},
      {"DeviceThroughSymlink", Expect::kRefused,
       [](TarBuilder& t, const Ctx& c) { t.symlink("l", c.sentinel).chardev("l/null", 1, 3); }},
      {"RootIsSymlink", Expect::kRefused,
       [](TarBuilder& t, const Ctx& c) { t.symlink("./", c.sentinel).file("pwned", "x"); }},
      {"OverlayXattrDropped", Expect::kConfined,
       [](TarBuilder& t, const Ctx& c) {
         t.file("f", "x", 0644, {{"trusted.overlay.redirect", c.sentinel}, {"user.ok", "1"}});
       },
       [](const fs::path& diff, const Ctx&) {
         char v[256];
         EXPECT_LT(::lgetxattr((diff / "f").c_str(), "trusted.overlay.redirect", v, sizeof v), 0);
         EXPECT_EQ(::lgetxattr((diff / "f").c_str(), "user.ok", v, sizeof v), 1);
       }},
      // The extractor keeps the last parent directory open: a directory it has cached, then
      // replaced by a symlink, must not be written through.
      {"CachedDirectoryReplacedBySymlink", Expect::kRefused,
       [](TarBuilder& t, const Ctx& c) {
         t.dir("d").file("d/a", "x").symlink("d", c.sentinel).file("d/pwned", "x");
       }},
      {"CachedGrandparentReplacedBySymlink", Expect::kRefused,
       [](TarBuilder& t, const Ctx& c) {
         t.dir("a").dir("a/b").file("a/b/x", "x").symlink("a", c.sentinel).file("a/b/pwned", "x");
       }},
      {"CachedDirectoryWhitedOutThenSymlinked", Expect::kRefused,
       [](TarBuilder& t, const Ctx& c) {
         t.dir("d").file("d/a", "x").file(".wh.d", "").symlink("d", c.sentinel).file("d/p", "x");
       }},
      {"FileUnderRegularFile", Expect::kRefused,
       [](TarBuilder& t, const Ctx&) { t.file("f", "x").file("f/child", "x"); }},
  };
  return all;
}

class LayerBreakout : public ::testing::TestWithParam<Case> {};

fs::path only_layer(const fs::path& root) {
  fs::path found;
  for (const auto& e : fs::directory_iterator(root / "layers"))
    if (e.path().filename().string().size() == 64) found = e.path();
  return found / "diff";
}

size_t count_layers(const fs::path& root) {
  size_t n = 0;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(root / "layers", ec))
    if (e.path().filename().string().size() == 64) ++n;
  for (const auto& e : fs::directory_iterator(root / "layers" / ".tmp", ec)) {
    (void)e;
    ++n;  // a staging dir left behind counts as a leak
  }
  return n;
}

TEST_P(LayerBreakout, RefusedOrConfined) {
  if (!is_root()) GTEST_SKIP() << "needs root";
  const Case& tc = GetParam();
  TempState st;
  fs::path sentinel = st.dir() / "sentinel";
  fs::create_directories(sentinel);
  { std::ofstream(sentinel / "passwd") << "root:x:0:0::/root:/bin/sh\n"; }
  Ctx ctx{sentinel.string(), "", "/tmp/berth-pwned-" + std::to_string(::getpid())};
  for (int i = 0; i < 16; ++i) ctx.up += "../";
  auto before = snapshot(sentinel);

  fs::path tar = st.dir() / "hostile.tar";
  TarBuilder t;
  tc.build(t, ctx);
  t.write(tar);
  auto r = st.berth({"import", tar.string(), "hostile"});

  if (tc.expect == Expect::kRefused) {
    EXPECT_NE(r.exit_code, 0) << "accepted: " << r.out;
    EXPECT_NE(r.err.find("Error: "), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_EQ(count_layers(st.root()), 0u) << "a layer was left behind";
    EXPECT_EQ(st.berth({"images", "-q"}).out, "");
  } else {
    ASSERT_EQ(r.exit_code, 0) << r.err;
    tc.check(only_layer(st.root()), ctx);
  }
  EXPECT_EQ(snapshot(sentinel), before) << "the sentinel directory outside the layer changed";
  EXPECT_FALSE(fs::exists(fs::symlink_status(ctx.pwned)));
}

INSTANTIATE_TEST_SUITE_P(Image, LayerBreakout, ::testing::ValuesIn(cases()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace berth::test
