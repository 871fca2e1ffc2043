// Volumes and bind mounts end to end: data that outlives containers, copy-up, read-only
// mounts, sharing, the volume verbs, inspect's Mounts, and the live-edit dev loop.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "tests/integration/container/container_helpers.h"

namespace berth::test {
namespace {

namespace fs = std::filesystem;

class VolumeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    BERTH_NEED_ROOT();
    st_.import_busybox();
  }
  RunResult ok(const std::vector<std::string>& args) {
    auto r = st_.berth(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r;
  }
  TempState st_;
};

TEST_F(VolumeTest, NamedVolumeDataSurvivesRmAndNewContainer) {
  ok({"run", "--name", "writer", "-v", "data:/data", "busybox", "sh", "-c", "echo kept > /data/f"});
  ok({"rm", "writer"});
  EXPECT_EQ(ok({"run", "--rm", "-v", "data:/data", "busybox", "cat", "/data/f"}).out, "kept\n");
  EXPECT_EQ(trim(ok({"volume", "ls", "-q"}).out), "data");
}

TEST_F(VolumeTest, PruneWithoutAllKeepsNamedVolumes) {
  ok({"run", "--rm", "-v", "keep:/data", "busybox", "sh", "-c", "echo x > /data/f"});
  ok({"run", "--name", "anon", "-v", "/scratch", "busybox", "true"});
  ok({"rm", "anon"});
  auto r = ok({"volume", "prune", "-f"});
  EXPECT_EQ(trim(ok({"volume", "ls", "-q"}).out), "keep");
  EXPECT_NE(r.out.find("Deleted Volumes:"), std::string::npos) << r.out;
  EXPECT_EQ(ok({"run", "--rm", "-v", "keep:/data", "busybox", "cat", "/data/f"}).out, "x\n");
  ok({"volume", "prune", "-f", "--all"});
  EXPECT_EQ(trim(ok({"volume", "ls", "-q"}).out), "");
}

TEST_F(VolumeTest, DataSurvivesSigkillOfBerthMidRun) {
  ok({"volume", "create", "crash"});
  pid_t pid = ::fork();
  if (pid == 0) {
    ::execl(BERTH_BIN, BERTH_BIN, "--root", st_.root().c_str(), "--runroot", st_.runroot().c_str(),
            "run", "--name", "victim", "-v", "crash:/data", "busybox", "sh", "-c",
            "echo before > /data/f; sync; sleep 30", (char*)nullptr);
    ::_exit(127);
  }
  const fs::path f = st_.root() / "volumes" / "crash" / "_data" / "f";
  for (int i = 0; i < 100 && !fs::exists(f); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
  ok({"rm", "-f", "victim"});
  EXPECT_EQ(ok({"run", "--rm", "-v", "crash:/data", "busybox", "cat", "/data/f"}).out, "before\n");
}

TEST_F(VolumeTest, ReadOnlyMountRejectsWritesWithErofs) {
  auto r = st_.berth({"run", "--rm", "-v", "ro:/data:ro", "busybox", "touch", "/data/x"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.out.find("Read-only file system") + r.err.find("Read-only file system"),
            2 * std::string::npos)
      << r.out << r.err;
  r = st_.berth({"run", "--rm", "--mount", "type=volume,source=ro,target=/d,readonly", "busybox",
                 "touch", "/d/x"});
  EXPECT_NE(r.exit_code, 0);
}

// Files appear whole (written aside, then renamed), so a reader never sees a half-written one.
TEST_F(VolumeTest, TwoContainersShareOneVolume) {
  ok({"run", "-d", "--name", "sharer", "-v", "shared:/s", "busybox", "sh", "-c",
      "echo from-a > /s/a.tmp; mv /s/a.tmp /s/a; while [ ! -f /s/b ]; do sleep 0.1; done; "
      "cat /s/b > /s/seen.tmp; mv /s/seen.tmp /s/seen; sleep 30"});
  auto r = ok({"run", "--rm", "-v", "shared:/s", "busybox", "sh", "-c",
               "while [ ! -f /s/a ]; do sleep 0.1; done; cat /s/a; echo from-b > /s/b.tmp; "
               "mv /s/b.tmp /s/b"});
  EXPECT_EQ(r.out, "from-a\n");
  const fs::path seen = st_.root() / "volumes" / "shared" / "_data" / "seen";
  for (int i = 0; i < 100 && !fs::exists(seen); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  std::ifstream in(seen);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "from-b");
  ok({"rm", "-f", "sharer"});
}

TEST_F(VolumeTest, EmptyVolumeIsFilledFromImageButNotWithNocopy) {
  EXPECT_NE(
      ok({"run", "--rm", "-v", "etc:/etc", "busybox", "cat", "/etc/passwd"}).out.find("root:"),
      std::string::npos);
  EXPECT_TRUE(fs::exists(st_.root() / "volumes" / "etc" / "_data" / "passwd"));
  auto r = st_.berth({"run", "--rm", "--mount", "type=volume,source=etc2,target=/etc,volume-nocopy",
                      "busybox", "ls", "/etc"});
  EXPECT_EQ(r.out, "") << r.err;  // only the /etc files berth mounts are visible: none listed
}

TEST_F(VolumeTest, VolumeRmRefusesVolumeInUseEvenWithForce) {
  ok({"create", "--name", "holder", "-v", "busy:/b", "busybox", "true"});
  auto r = st_.berth({"volume", "rm", "busy"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("volume is in use"), std::string::npos) << r.err;
  EXPECT_EQ(st_.berth({"volume", "rm", "-f", "busy"}).exit_code, 1);
  ok({"rm", "holder"});
  EXPECT_EQ(trim(ok({"volume", "rm", "busy"}).out), "busy");
  EXPECT_EQ(st_.berth({"volume", "rm", "busy"}).exit_code, 1);
  EXPECT_EQ(st_.berth({"volume", "rm", "-f", "busy"}).exit_code, 0);
}

TEST_F(VolumeTest, RmDashVAndAutoRemoveDeleteAnonymousVolumesOnly) {
  ok({"run", "--name", "anonc", "-v", "/anon", "-v", "named:/named", "busybox", "true"});
  EXPECT_EQ(count_lines(ok({"volume", "ls", "-q"}).out), 2);
  ok({"rm", "-v", "anonc"});
  EXPECT_EQ(trim(ok({"volume", "ls", "-q"}).out), "named");
  ok({"run", "--rm", "-v", "/anon2", "busybox", "true"});
  EXPECT_EQ(trim(ok({"volume", "ls", "-q"}).out), "named");
}

TEST_F(VolumeTest, InspectListsMountsAsDocker) {
  const fs::path host = st_.dir() / "hostdir";
  ok({"create", "--name", "mnts", "-v", "v1:/data:ro", "-v", host.string() + ":/src", "--tmpfs",
      "/run:size=1m", "busybox", "true"});
  EXPECT_TRUE(fs::is_directory(host));  // -v creates a missing host directory
  auto mounts = inspect(st_, "mnts")["Mounts"];
  ASSERT_EQ(mounts.size(), 3u) << mounts.dump();
  EXPECT_EQ(mounts[0]["Type"], "volume");
  EXPECT_EQ(mounts[0]["Name"], "v1");
  EXPECT_EQ(mounts[0]["Destination"], "/data");
  EXPECT_EQ(mounts[0]["Driver"], "local");
  EXPECT_EQ(mounts[0]["RW"], false);
  EXPECT_EQ(mounts[0]["Source"], (st_.root() / "volumes" / "v1" / "_data").string());
  EXPECT_EQ(mounts[1]["Type"], "bind");
  EXPECT_EQ(mounts[1]["Source"], host.string());
  EXPECT_EQ(mounts[1]["Propagation"], "rprivate");
  EXPECT_EQ(mounts[2]["Type"], "tmpfs");
}

TEST_F(VolumeTest, MountFlagRefusesMissingBindSource) {
  auto r = st_.berth({"run", "--rm", "--mount",
                      "type=bind,source=" + (st_.dir() / "nope").string() + ",target=/x", "busybox",
                      "true"});
  EXPECT_EQ(r.exit_code, 125);
  EXPECT_NE(r.err.find("bind source path does not exist"), std::string::npos) << r.err;
  EXPECT_EQ(trim(ok({"ps", "-aq"}).out), "");
}

TEST_F(VolumeTest, TmpfsIsATmpfs) {
  auto r = ok({"run", "--rm", "--tmpfs", "/scratch:size=2m", "busybox", "sh", "-c",
               "grep ' /scratch ' /proc/mounts"});
  EXPECT_NE(r.out.find("tmpfs /scratch tmpfs rw,nosuid,nodev,noexec"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("size=2048k"), std::string::npos) << r.out;
}

TEST_F(VolumeTest, VolumesFromSharesTheOtherContainersVolumes) {
  ok({"create", "--name", "src", "-v", "vf:/vf", "busybox", "true"});
  ok({"run", "--rm", "--volumes-from", "src", "busybox", "sh", "-c", "echo hi > /vf/x"});
  EXPECT_EQ(ok({"run", "--rm", "--volumes-from", "src:ro", "busybox", "cat", "/vf/x"}).out, "hi\n");
}

TEST_F(VolumeTest, ImageVolumeBecomesAnonymousVolume) {
  ok({"import", "--change", "VOLUME /cache", busybox_tar().string(), "withvol"});
  ok({"run", "--name", "iv", "withvol", "sh", "-c", "echo y > /cache/f"});
  auto mounts = inspect(st_, "iv")["Mounts"];
  ASSERT_EQ(mounts.size(), 1u);
  EXPECT_EQ(mounts[0]["Destination"], "/cache");
  EXPECT_EQ(mounts[0]["Name"].get<std::string>().size(), 64u);
  ok({"rm", "-v", "iv"});
  EXPECT_EQ(trim(ok({"volume", "ls", "-q"}).out), "");
}

TEST_F(VolumeTest, VolumeInspectAndLabels) {
  ok({"volume", "create", "--label", "a=b", "lab"});
  auto j = nlohmann::json::parse(ok({"volume", "inspect", "lab"}).out);
  EXPECT_EQ(j[0]["Name"], "lab");
  EXPECT_EQ(j[0]["Labels"]["a"], "b");
  EXPECT_EQ(j[0]["Mountpoint"], (st_.root() / "volumes" / "lab" / "_data").string());
  EXPECT_FALSE(j[0]["CreatedAt"].get<std::string>().empty());
  EXPECT_EQ(trim(ok({"volume", "ls", "-q", "--filter", "label=a=b"}).out), "lab");
  EXPECT_EQ(trim(ok({"volume", "ls", "-q", "--filter", "label=a=c"}).out), "");
  EXPECT_EQ(st_.berth({"volume", "inspect", "nope"}).exit_code, 1);
}

// The nodemon use case: a host edit is seen by an inotify watcher inside within a second, and
// the contents match. The watcher is a static helper bind-mounted as a file (busybox-static
// has no inotifyd); its output goes to a second bind mount.
TEST_F(VolumeTest, DevLoopHostEditSeenByWatcherInside) {
  const fs::path src = st_.dir() / "src", out = st_.dir() / "out";
  fs::create_directories(src);
  fs::create_directories(out);
  { std::ofstream(src / "app.js") << "v1\n"; }
  ok({"run", "-d", "--name", "dev", "-v", src.string() + ":/app", "-v", out.string() + ":/out",
      "-v", std::string(BERTH_INOTIFY_WATCH) + ":/watch:ro", "busybox", "sh", "-c",
      "/watch /app | while read f; do [ \"$f\" = watching ] && touch /out/ready; "
      "[ \"$f\" = app.js ] && cat /app/app.js > /out/seen.tmp && mv /out/seen.tmp /out/seen; "
      "done"});
  for (int i = 0; i < 100 && !fs::exists(out / "ready"); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_TRUE(fs::exists(out / "ready")) << st_.berth({"logs", "dev"}).err;
  const auto t0 = std::chrono::steady_clock::now();
  { std::ofstream(src / "app.js") << "v2 edited on the host\n"; }
  std::string seen;
  while (std::chrono::steady_clock::now() - t0 < std::chrono::seconds(1)) {
    std::ifstream in(out / "seen");
    std::getline(in, seen);
    if (seen == "v2 edited on the host") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(seen, "v2 edited on the host");
  ok({"rm", "-f", "dev"});
}

}  // namespace
}  // namespace berth::test
