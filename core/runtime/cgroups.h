// Cgroups: each container gets its own cgroup in berth's own subtree, never under the caller's
// (HOST-NOTES: this machine's shell lives in a memory cgroup of its own).
//   v2 (unified, <root>/cgroup.controllers exists): <root>/berth/<id>; the init joins it at
//      clone time with clone3(CLONE_INTO_CGROUP) through dir_fd().
//   v1 (one hierarchy per controller): <root>/<controller>/berth/<id> for every mounted
//      controller; the monitor writes the init's pid into each cgroup.procs before it lets
//      the init go on (add_pid).
// The root is a constructor parameter so unit tests run both layouts on a fake cgroupfs.
// Limits are written through path_for(controller).
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace berth::core::runtime {

// /sys/fs/cgroup, or $BERTH_CGROUP_ROOT when set (tests run the v2 path on a private cgroup2
// mount of a v1 host with it; every command must see the same value).
std::filesystem::path default_cgroup_root();

class Cgroups {
 public:
  enum class Version { kV1, kV2 };

  // Detects the layout under root. Never throws.
  explicit Cgroups(std::filesystem::path root = default_cgroup_root());

  Version version() const { return version_; }
  // v1: the controller hierarchies in use (cpu, cpuacct, memory, pids, ...), one per mount.
  const std::vector<std::string>& controllers() const { return controllers_; }
  // v1: other names of co-mounted hierarchies, {link, hierarchy}: {"cpu", "cpu,cpuacct"}.
  const std::vector<std::pair<std::string, std::string>>& aliases() const { return aliases_; }

  // The container's cgroup directories (one for v2, one per controller for v1).
  std::vector<std::filesystem::path> paths(const std::string& id) const;
  // The directory holding `controller`'s files for the container (v2: the single dir).
  std::filesystem::path path_for(const std::string& id, const std::string& controller) const;

  // Creates berth's subtree (once) and the container's cgroups. Throws Error.
  void create(const std::string& id) const;
  // v1: moves pid into every controller's cgroup. Throws Error. No-op on v2.
  void add_pid(const std::string& id, pid_t pid) const;
  // SIGKILLs every process in the container's cgroups (v2: cgroup.kill where the kernel has
  // it), whatever state its init is in. Best effort, never throws.
  void kill_all(const std::string& id) const;
  // Removes the container's cgroups; missing ones are fine. Returns "" or the failures, one
  // per line (rmdir of a busy cgroup fails with EBUSY: callers report, never hang).
  std::string remove(const std::string& id) const;

 private:
  void prepare_parent(const std::filesystem::path& controller_root,
                      const std::string& controller) const;

  std::filesystem::path root_;
  Version version_ = Version::kV1;
  std::vector<std::string> controllers_;
  std::vector<std::pair<std::string, std::string>> aliases_;
};

}  // namespace berth::core::runtime
