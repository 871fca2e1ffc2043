// /sys/fs/cgroup inside the container, as Docker (runc) makes it, so runtimes that size
// themselves from it (Node's and the JVM's heap limits) see the container's own limits:
//   v1: a tmpfs holding, per hierarchy, a bind of the container's own cgroup directory
//       (<hierarchy>/berth/<id>) under the hierarchy's name, aliases of co-mounted ones as
//       symlinks (cpu -> cpu,cpuacct); the binds are cloned (open_tree) from host paths the
//       monitor computed, before pivot_root while the host's cgroupfs is visible, and attached
//       after /sys is mounted; one recursive mount_setattr makes it all read-only last.
//   v2: the init is cloned into its own cgroup namespace rooted at its cgroup
//       (CLONE_NEWCGROUP with CLONE_INTO_CGROUP), and mounts cgroup2 there.
// Read-only, nosuid, nodev, noexec; writable with --privileged. Nothing of the host's other
// cgroups is reachable. Host side: CgroupMountStrings (the monitor); init side: no allocation.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "core/runtime/cgroups.h"
#include "core/runtime/init_mounts.h"

namespace berth::core::runtime {

// At most this many v1 hierarchies are mounted (berth uses 8).
constexpr size_t kMaxCgroupMounts = 16;

struct InitCgroupMounts {
  bool v2 = false;        // mount cgroup2: the init is in its own cgroup namespace
  bool writable = false;  // --privileged
  // v1: host paths of the container's cgroup directories and their names under /sys/fs/cgroup.
  const char* const* sources = nullptr;
  const char* const* names = nullptr;
  size_t n = 0;
  // v1: symlinks under /sys/fs/cgroup, as {name, target} pairs: links[2i] -> links[2i+1].
  const char* const* links = nullptr;
  size_t nlinks = 0;
};

// The strings an InitCgroupMounts points into, made by the monitor before clone.
class CgroupMountStrings {
 public:
  CgroupMountStrings(const Cgroups& cgroups, const std::string& id, bool privileged);
  InitCgroupMounts plan() const;

 private:
  bool v2_ = false, writable_ = false;
  std::vector<std::string> sources_, names_, links_;
  std::vector<const char*> source_ptrs_, name_ptrs_, link_ptrs_;
};

// The v1 binds, cloned before pivot_root: fds[i] for sources[i] (-1 when not open).
struct CgroupTrees {
  int fds[kMaxCgroupMounts];
  CgroupTrees() {
    for (int& fd : fds) fd = -1;
  }
};

// Before pivot_root: clones each v1 source into trees (detached mounts).
bool clone_cgroup_trees(const InitCgroupMounts& m, CgroupTrees* trees, MountFailure* f) noexcept;
// After /sys is mounted (the container's own sysfs): builds /sys/fs/cgroup; closes the trees.
bool mount_cgroup_fs(const InitCgroupMounts& m, CgroupTrees* trees, MountFailure* f) noexcept;

}  // namespace berth::core::runtime
