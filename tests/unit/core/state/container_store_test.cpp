// The container records without running anything: create/resolve/list, the name rules, and
// "monitor lost" for a running record whose monitor lock nobody holds.
#include "core/state/container_store.h"

#include <gtest/gtest.h>

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/file_lock.h"
#include "tests/support/harness.h"

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

namespace berth::core::state {
namespace {

namespace fs = std::filesystem;

std::string read_file_text(const fs::path& p) {
  return read_file(p);
}

class ContainerStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = berth::test::make_temp_dir("berth-storetest-");
    paths_.root = dir_ / "root";
    paths_.runroot = dir_ / "run";
  }
  void TearDown() override { fs::remove_all(dir_); }
  Container make(const std::string& name) {
    ContainerConfig c;
    c.name = name;
    c.image_id = "sha256:" + std::string(64, 'b');
    return ContainerStore(paths_).create(c);
  }
  fs::path dir_;
  Paths paths_;
};

TEST_F(ContainerStoreTest, CreateWritesRecords) {
  auto c = make("web");
  EXPECT_EQ(c.id().size(), 64u);
  EXPECT_EQ(c.config.hostname, c.id().substr(0, 12));
  auto cfg = nlohmann::json::parse(read_file_text(paths_.container(c.id()) / "config.json"));
  EXPECT_EQ(cfg["image_id"], "sha256:" + std::string(64, 'b'));
  EXPECT_EQ(cfg["name"], "web");
  ContainerStore store(paths_);
  EXPECT_EQ(store.load(c.id()).state.status, Status::kCreated);
}

TEST_F(ContainerStoreTest, ResolveByIdNamePrefix) {
  auto a = make("alpha");
  auto b = make("beta");
  ContainerStore store(paths_);
  EXPECT_EQ(store.resolve(a.id()), a.id());
  EXPECT_EQ(store.resolve("alpha"), a.id());
  EXPECT_EQ(store.resolve("/beta"), b.id());
  EXPECT_EQ(store.resolve(b.id().substr(0, 12)), b.id());
  try {
    store.resolve("nosuch");
    FAIL();
  } catch (const NotFound& e) {
    EXPECT_STREQ(e.what(), "No such container: nosuch");
  }
}

TEST_F(ContainerStoreTest, DuplicateNameConflict) {
  auto a = make("web");
  try {
    make("/web");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), 125);
    EXPECT_EQ(std::string(e.what()),
              "Conflict. The container name \"/web\" is already in use by container \"" + a.id() +
                  "\". You have to remove (or rename) that container to be able to reuse that "
                  "name.");
  }
  EXPECT_EQ(ContainerStore(paths_).list().size(), 1u);
}

TEST_F(ContainerStoreTest, RandomNameWhenEmpty) {
  auto c = make("");
  EXPECT_FALSE(c.config.name.empty());
}

TEST_F(ContainerStoreTest, RunningWithoutMonitorIsLost) {
  auto c = make("ghost");
  ContainerStore store(paths_);
  ContainerState s;
  s.status = Status::kRunning;
  s.pid = 999999;
  store.write_state(c.id(), s);
  auto loaded = store.load(c.id());
  EXPECT_EQ(loaded.state.status, Status::kExited);
  EXPECT_EQ(loaded.state.exit_code, 255);
  EXPECT_EQ(loaded.state.error, "monitor lost");
  EXPECT_EQ(store.read_state(c.id()).status, Status::kExited);  // written back
}

TEST_F(ContainerStoreTest, RunningWithMonitorLockHeldStaysRunning) {
  auto c = make("alive");
  ContainerStore store(paths_);
  ContainerState s;
  s.status = Status::kRunning;
  store.write_state(c.id(), s);
  make_dirs(store.run_dir(c.id()));
  FileLock lock(store.monitor_lock(c.id()));
  EXPECT_TRUE(store.monitor_alive(c.id()));
  EXPECT_EQ(store.load(c.id()).state.status, Status::kRunning);
  auto done = store.wait_not_running(c.id(), 50);
  EXPECT_FALSE(done.has_value());  // times out: still running
}

// A running record (this test holds its monitor lock) whose health the "monitor" thread
// moves: the wait returns at the change, not before, and on a stop.
TEST_F(ContainerStoreTest, WaitHealthChangeReturnsAtTheChange) {
  auto c = make("checked");
  ContainerStore store(paths_);
  ContainerState s;
  s.status = Status::kRunning;
  s.health = Health{};
  store.write_state(c.id(), s);
  make_dirs(store.run_dir(c.id()));
  FileLock lock(store.monitor_lock(c.id()));
  EXPECT_FALSE(store.wait_health_change(c.id(), kHealthStarting, 50).has_value());
  std::thread monitor([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    ContainerState next = s;
    next.health->status = kHealthHealthy;
    store.write_state(c.id(), next);
  });
  const auto t0 = std::chrono::steady_clock::now();
  auto changed = store.wait_health_change(c.id(), kHealthStarting, 5000);
  monitor.join();
  ASSERT_TRUE(changed.has_value());
  ASSERT_TRUE(changed->state.health.has_value());
  EXPECT_EQ(changed->state.health->status, kHealthHealthy);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(2));
  // Already different: at once.
  EXPECT_TRUE(store.wait_health_change(c.id(), kHealthStarting, 0).has_value());
}

TEST_F(ContainerStoreTest, WaitHealthChangeReturnsWhenTheContainerStops) {
  auto c = make("stops");
  ContainerStore store(paths_);
  ContainerState s;
  s.status = Status::kRunning;
  s.health = Health{};
  store.write_state(c.id(), s);
  make_dirs(store.run_dir(c.id()));
  FileLock lock(store.monitor_lock(c.id()));
  std::thread monitor([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    ContainerState next = s;
    next.status = Status::kExited;
    store.write_state(c.id(), next);
  });
  auto changed = store.wait_health_change(c.id(), kHealthStarting, 5000);
  monitor.join();
  ASSERT_TRUE(changed.has_value());
  EXPECT_EQ(changed->state.status, Status::kExited);
}

// Two writers of different fields, each a read-modify-write under the state lock: neither
// loses the other's change.
TEST_F(ContainerStoreTest, UpdateStateKeepsOtherWritersChanges) {
  auto c = make("shared");
  ContainerStore store(paths_);
  auto flip = [&](bool health) {
    for (int i = 0; i < 200; ++i)
      store.update_state(c.id(), [&](ContainerState& s) {
        if (health) {
          s.health = s.health.value_or(Health{});
          ++s.health->failing_streak;
        } else {
          ++s.restart_count;
        }
      });
  };
  std::thread a(flip, true), b(flip, false);
  a.join();
  b.join();
  const ContainerState s = store.read_state(c.id());
  ASSERT_TRUE(s.health.has_value());
  EXPECT_EQ(s.health->failing_streak, 200);
  EXPECT_EQ(s.restart_count, 200);
}

TEST_F(ContainerStoreTest, RemoveDeletesEverything) {
  auto c = make("gone");
  ContainerStore store(paths_);
  make_dirs(store.run_dir(c.id()));
  store.remove(c.id());
  EXPECT_FALSE(fs::exists(store.dir(c.id())));
  EXPECT_FALSE(fs::exists(store.run_dir(c.id())));
  EXPECT_THROW(store.load(c.id()), NotFound);
}

TEST_F(ContainerStoreTest, RetireThatFailsKeepsBothDirectoriesAndTheMonitorLock) {
  auto c = make("stays");
  ContainerStore store(paths_);
  make_dirs(store.run_dir(c.id()));
  FileLock lock(store.monitor_lock(c.id()));
  // The first directory moves into its .trash; the second cannot (its .trash is a file).
  std::ofstream(store.run_dir(c.id()).parent_path() / ".trash") << "not a directory\n";
  try {
    store.retire(c.id());
    FAIL() << "retire succeeded";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("rename `" + store.run_dir(c.id()).string() + "`"),
              std::string::npos)
        << e.what();
  }
  EXPECT_TRUE(fs::exists(store.dir(c.id()) / "config.json"));
  EXPECT_TRUE(store.monitor_alive(c.id()));
  EXPECT_EQ(store.load(c.id()).config.name, "stays");
}

// config.json is parsed once per version (a process-wide cache): every way a record changes
// is seen by the next read — replaced (rename, as every writer does), same size included;
// removed; made again under the same id.
TEST_F(ContainerStoreTest, ReadsSeeEveryNewVersionOfConfigJson) {
  auto c = make("first");
  ContainerStore store(paths_);
  const fs::path file = paths_.container(c.id()) / "config.json";
  EXPECT_EQ(store.load(c.id()).config.name, "first");
  EXPECT_EQ(store.configs().size(), 1u);
  auto j = nlohmann::json::parse(read_file_text(file));
  j["name"] = "other";  // same length: only the inode and times tell the versions apart
  write_file_atomic(file, j.dump(), 0600, false);
  EXPECT_EQ(store.load(c.id()).config.name, "other");
  EXPECT_EQ(store.configs().at(0).name, "other");
  EXPECT_EQ(store.resolve("other"), c.id());
  EXPECT_THROW(make("other"), Error);  // the name check reads it too
  fs::remove(file);
  EXPECT_THROW(store.load(c.id()), NotFound);
  EXPECT_TRUE(store.configs().empty());
  j["name"] = "third";
  write_file_atomic(file, j.dump(), 0600, false);
  EXPECT_EQ(store.load(c.id()).config.name, "third");
  write_file_atomic(file, "{not json", 0600, false);
  EXPECT_THROW(store.load(c.id()), Error);
  EXPECT_TRUE(store.configs().empty());
}

TEST_F(ContainerStoreTest, UnreadableStateIsDead) {
  auto c = make("broken");
  std::ofstream(paths_.container(c.id()) / "state.json") << "{not json";
  auto all = ContainerStore(paths_).list();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].state.status, Status::kDead);
}

}  // namespace
}  // namespace berth::core::state
