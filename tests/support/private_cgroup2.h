// A private cgroup2 mount for root-only tests on cgroup v1 hosts (HOST-NOTES: v1 with a
// controller-less unified hierarchy): `mount -t cgroup2 none DIR` in a temp dir shows the
// host's one v2 hierarchy, where the core files (cgroup.procs, cgroup.freeze, cgroup.events)
// and BPF cgroup programs work though no controller (memory, pids, cpu) is available. The
// tests get a unique child cgroup of their own as the root; the destructor removes every
// cgroup below it (deepest first; their processes must be gone), unmounts and deletes DIR.
#pragma once

#include <sys/mount.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include "tests/support/harness.h"

namespace berth::test {

class PrivateCgroup2 {
 public:
  PrivateCgroup2() {
    dir_ = std::filesystem::temp_directory_path() / unique_name("berth-cg2-");
    std::filesystem::create_directories(dir_);
    if (::mount("none", dir_.c_str(), "cgroup2", 0, nullptr) != 0) {
      error_ = std::string("mount -t cgroup2: ") + std::strerror(errno);
      std::filesystem::remove(dir_);
      return;
    }
    mounted_ = true;
    root_ = dir_ / unique_name("berth-test-");
    std::filesystem::create_directory(root_);
  }
  ~PrivateCgroup2() {
    if (!mounted_) return;
    std::vector<std::filesystem::path> dirs;
    std::error_code ec;
    for (std::filesystem::recursive_directory_iterator it(root_, ec), end; !ec && it != end;
         it.increment(ec))
      if (it->is_directory(ec) && !it->is_symlink(ec)) dirs.push_back(it->path());
    std::sort(dirs.begin(), dirs.end(),
              [](const auto& a, const auto& b) { return a.string().size() > b.string().size(); });
    for (const auto& d : dirs) ::rmdir(d.c_str());
    ::rmdir(root_.c_str());
    ::umount2(dir_.c_str(), MNT_DETACH);
    ::rmdir(dir_.c_str());
  }
  PrivateCgroup2(const PrivateCgroup2&) = delete;
  PrivateCgroup2& operator=(const PrivateCgroup2&) = delete;

  bool ok() const { return mounted_; }
  const std::string& error() const { return error_; }
  // The test's own cgroup: pass it to core::runtime::Cgroups as its root.
  const std::filesystem::path& root() const { return root_; }
  // root() as /proc/PID/cgroup names it ("/berth-test-...").
  std::string hierarchy_path(const std::filesystem::path& p) const {
    return "/" + std::filesystem::relative(p, dir_).string();
  }

 private:
  std::filesystem::path dir_, root_;
  bool mounted_ = false;
  std::string error_;
};

}  // namespace berth::test
