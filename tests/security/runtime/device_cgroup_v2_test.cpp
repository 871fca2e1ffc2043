// cgroup v2's device allow-list for real: on a private cgroup2 mount
// (support/private_cgroup2.h) the resource code attaches berth's BPF_PROG_TYPE_CGROUP_DEVICE
// program to a container cgroup; a forked child moved into that cgroup may open /dev/null and
// make device nodes, but opening a block device node or a kmsg node answers EPERM. The nodes live
// on a tmpfs of the test's own (a temp dir on a nodev mount would answer EACCES, a host or
// container without /dev/kmsg ENOENT); where a device controller above the test's (a container's)
// refuses them as well, the comparison with the same opens outside the cgroup is skipped.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <string>
#include <tuple>

#include "core/runtime/cgroup_file.h"
#include "core/runtime/cgroups.h"
#include "core/runtime/device_bpf.h"
#include "core/runtime/resources.h"
#include "tests/support/harness.h"
#include "tests/support/private_cgroup2.h"

namespace berth::test {
namespace {

namespace fs = std::filesystem;
using core::runtime::Cgroups;

// "ok" or the errno name of opening path for reading.
std::string try_open(const fs::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd >= 0) {
    ::close(fd);
    return "ok";
  }
  return errno == EPERM ? "EPERM" : std::string(strerrorname_np(errno));
}

// Runs fn in a forked child, inside cgroup_dir when it is not empty; returns what fn printed.
template <typename Fn>
std::string in_child(const fs::path& cgroup_dir, Fn fn) {
  int p[2];
  if (::pipe2(p, O_CLOEXEC) != 0) return "pipe failed";
  pid_t pid = ::fork();
  if (pid == 0) {
    ::close(p[0]);
    std::string out;
    try {
      if (!cgroup_dir.empty()) core::runtime::write_cgroup_file(cgroup_dir / "cgroup.procs", "0");
      out = fn();
    } catch (const std::exception& e) {
      out = std::string("error: ") + e.what();
    }
    (void)!::write(p[1], out.data(), out.size());
    ::_exit(0);
  }
  ::close(p[1]);
  std::string out;
  char buf[512];
  for (ssize_t n; (n = ::read(p[0], buf, sizeof buf)) > 0;) out.append(buf, static_cast<size_t>(n));
  ::close(p[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return out;
}

class DeviceCgroupV2 : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!is_root()) GTEST_SKIP() << "needs root";
    if (!cg2_.ok()) GTEST_SKIP() << cg2_.error();
    nodes_ = fs::temp_directory_path() / unique_name("berth-devnodes-");
    fs::create_directories(nodes_);
    ASSERT_EQ(::mount("tmpfs", nodes_.c_str(), "tmpfs", MS_NOSUID, "mode=0700"), 0)
        << strerror(errno);
    mounted_ = true;
    // 8:0 is sda's number and 1:11 kmsg's; whether or not the host has them, a device check
    // comes first. 1:3 and 1:5 are null and zero, which the allow-list lets through.
    for (const auto& [name, mode, dev] : {std::tuple{"sda", S_IFBLK, ::makedev(8, 0)},
                                          std::tuple{"kmsg", S_IFCHR, ::makedev(1, 11)},
                                          std::tuple{"null", S_IFCHR, ::makedev(1, 3)},
                                          std::tuple{"zero", S_IFCHR, ::makedev(1, 5)}})
      ASSERT_EQ(::mknod((nodes_ / name).c_str(), mode | 0600, dev), 0) << name;
  }
  void TearDown() override {
    std::error_code ec;
    if (mounted_) ::umount2(nodes_.c_str(), MNT_DETACH);
    if (!nodes_.empty()) fs::remove_all(nodes_, ec);
  }
  bool mounted_ = false;
  PrivateCgroup2 cg2_;
  fs::path nodes_;
};

TEST_F(DeviceCgroupV2, ProgramAllowsTheDefaultDevicesAndDeniesOthers) {
  Cgroups cg(cg2_.root());
  ASSERT_EQ(cg.version(), Cgroups::Version::kV2);
  const std::string id = unique_name("dev");
  cg.create(id);
  const fs::path dir = cg.path_for(id, "devices");
  core::runtime::apply_resources(cg, id, {}, false);
  EXPECT_EQ(core::runtime::attached_device_filters(dir), 1u);

  const std::string inside = in_child(dir, [&] {
    std::string r = "null=" + try_open(nodes_ / "null") + " zero=" + try_open(nodes_ / "zero");
    r += " sda=" + try_open(nodes_ / "sda") + " kmsg=" + try_open(nodes_ / "kmsg");
    // mknod of any node is allowed ("b *:* m"), opening it is not.
    const fs::path made = nodes_ / "made";
    r += " mknod=" + std::string(::mknod(made.c_str(), S_IFBLK | 0600, ::makedev(8, 16)) == 0
                                     ? "ok"
                                     : strerrorname_np(errno));
    r += " made=" + try_open(made);
    return r;
  });
  EXPECT_EQ(inside, "null=ok zero=ok sda=EPERM kmsg=EPERM mknod=ok made=EPERM");

  // Outside the cgroup the same opens are not refused by a device check, unless a device
  // controller above this process refuses them too (the test runs in a container).
  const std::string outside = in_child(
      {}, [&] { return "sda=" + try_open(nodes_ / "sda") + " kmsg=" + try_open(nodes_ / "kmsg"); });
  if (outside == "sda=EPERM kmsg=EPERM")
    std::cerr << "note: a device controller above the test refuses sda and kmsg as well\n";
  else
    EXPECT_EQ(outside.find("EPERM"), std::string::npos) << outside;
  EXPECT_EQ(cg.remove(id), "");
}

TEST_F(DeviceCgroupV2, PrivilegedGetsNoProgram) {
  Cgroups cg(cg2_.root());
  const std::string id = unique_name("devp");
  cg.create(id);
  core::runtime::apply_resources(cg, id, {}, true);
  EXPECT_EQ(core::runtime::attached_device_filters(cg.path_for(id, "devices")), 0u);
  EXPECT_EQ(
      in_child(cg.path_for(id, "devices"), [&] { return try_open(nodes_ / "sda"); }).find("EPERM"),
      std::string::npos);
  EXPECT_EQ(cg.remove(id), "");
}

}  // namespace
}  // namespace berth::test
