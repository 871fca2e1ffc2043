// The container's extra mounts (volumes, binds, tmpfs) as the init performs them, between
// mounting the overlay rootfs and pivot_root.
//
// Host side (the monitor, before clone): InitMounts turns RuntimeSpec::mounts into a flat
// array of C strings, sorted so a parent target is mounted before what lies inside it.
// Init side (after clone: no allocation, no exceptions): apply_mounts() resolves each target
// inside the rootfs with openat2(RESOLVE_IN_ROOT), one path component at a time, creating a
// missing directory (or, for a file source, the final file) confined to the rootfs, then
// mounts onto the resolved fd — never onto a path the kernel would walk again (runc's fix for
// CVE-2021-30465). A symlink in the image is followed only inside the rootfs ("/etc" and
// "../../.." land in the container's own /etc and /); a dangling symlink component is refused.
// Binds are recursive clones (open_tree) made read-only recursively with mount_setattr and
// attached with move_mount; tmpfs is mounted on /proc/self/fd/N of the resolved fd.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/runtime/mount_spec.h"

namespace berth::core::runtime {

struct InitMount {
  bool bind = true;
  bool file = false;  // bind of a non-directory: the target is a file
  bool readonly = false;
  const char* source = nullptr;   // bind: host path
  const char* target = nullptr;   // relative to the rootfs, no leading "/"
  unsigned long flags = 0;        // tmpfs: MS_* flags
  const char* data = nullptr;     // tmpfs: mount data
  unsigned long propagation = 0;  // bind: MS_PRIVATE, MS_SLAVE or MS_SHARED
};

// "/proc/self/fd/N" into buf, without snprintf (it may allocate): the magic link naming what
// fd N names, for mount(2) onto a resolved O_PATH fd. Returns buf.
const char* proc_fd_path(char (&buf)[32], int fd) noexcept;

// Why apply_mounts() failed: ``op `subject`: strerror(err)``.
struct MountFailure {
  const char* op = nullptr;
  const char* subject = nullptr;
  int err = 0;
};

class InitMounts {
 public:
  explicit InitMounts(const std::vector<MountSpec>& specs);
  const InitMount* data() const { return mounts_.data(); }
  size_t size() const { return mounts_.size(); }

 private:
  std::vector<MountSpec> specs_;  // owns the strings mounts_ points into
  std::vector<std::string> targets_;
  std::vector<InitMount> mounts_;
};

// Async-signal-safe. Returns false and fills *fail on the first mount that fails.
bool apply_mounts(const char* rootfs, const InitMount* mounts, size_t n, MountFailure* fail);

// Target of a mount, relative: "/a//b/./c/" → "a/b/c". A ".." component is kept (openat2 with
// RESOLVE_IN_ROOT clamps it at the rootfs).
std::string relative_target(const std::string& target);

}  // namespace berth::core::runtime
