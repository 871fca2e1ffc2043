// The freezer on a fake cgroupfs (a plain directory tree): v1 freezer.state, v2 cgroup.freeze.
#include "core/runtime/freezer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "common/atomic_file.h"

namespace berth::core::runtime {
namespace {

namespace fs = std::filesystem;

struct FakeTree {
  FakeTree() {
    root = fs::temp_directory_path() /
           ("berth-freezer-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::create_directories(root);
  }
  ~FakeTree() { fs::remove_all(root); }
  void write(const fs::path& rel, const std::string& text) {
    fs::create_directories((root / rel).parent_path());
    std::ofstream(root / rel) << text;
  }
  fs::path root;
  static inline int counter = 0;
};

TEST(Freezer, V1FreezerState) {
  FakeTree t;
  t.write("freezer/cgroup.procs", "");
  t.write("freezer/berth/c1/freezer.state", "THAWED\n");
  Cgroups cg(t.root);
  EXPECT_FALSE(frozen(cg, "c1"));
  // A fake tree reports what was written: FROZEN at once.
  freeze(cg, "c1");
  EXPECT_TRUE(frozen(cg, "c1"));
  thaw(cg, "c1");
  EXPECT_FALSE(frozen(cg, "c1"));
  EXPECT_FALSE(frozen(cg, "missing"));
}

TEST(Freezer, V2CgroupFreeze) {
  FakeTree t;
  t.write("cgroup.controllers", "cpu memory pids\n");
  t.write("berth/c2/cgroup.freeze", "0\n");
  t.write("berth/c2/cgroup.events", "populated 1\nfrozen 1\n");
  Cgroups cg(t.root);
  freeze(cg, "c2");
  EXPECT_EQ(read_file(t.root / "berth/c2/cgroup.freeze"), "1");
  EXPECT_TRUE(frozen(cg, "c2"));
  thaw(cg, "c2");
  EXPECT_FALSE(frozen(cg, "c2"));
}

}  // namespace
}  // namespace berth::core::runtime
