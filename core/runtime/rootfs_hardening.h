// The container's view of the kernel, narrowed after /proc, /dev and /sys are mounted (Docker's
// and runc's defaults): masked paths (/dev/null bound over files, an empty read-only tmpfs over
// directories: /proc/kcore, /proc/keys, /sys/firmware, ...), read-only paths (/proc/sys,
// /proc/sysrq-trigger, /proc/bus, /proc/fs, /proc/irq), `--sysctl` values written first, and
// `--read-only` remounting the root last. Every mount target is opened O_PATH|O_NOFOLLOW and
// mounted on through /proc/self/fd/N, so nothing is ever mounted on a symlink.
// The plan is built by the monitor before clone; the init runs the steps allocation-free.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/runtime/security.h"

namespace berth::core::runtime {

// Docker's lists (moby oci/defaults.go).
extern const char* const kMaskedPaths[];
extern const char* const kReadonlyPaths[];

// Throws Error (125) unless `key` is a namespaced sysctl: net.*, kernel.shm*, kernel.msg*,
// kernel.sem, fs.mqueue.* (the others would change the host).
void validate_sysctl(const std::string& key);

// Throws Error (125) with runc's message when a net.* sysctl would be written into a network
// namespace shared with the host (host_netns: --network host, or a container:X joining one).
void refuse_sysctls_in_host_netns(const std::map<std::string, std::string>& sysctls,
                                  bool host_netns);

struct RootfsHardening {
  bool mask = true;  // masked + read-only paths (not with --privileged)
  bool read_only_rootfs = false;
  std::vector<std::string> sysctl_files;  // "/proc/sys/net/ipv4/ip_forward"
  std::vector<std::string> sysctl_values;
};

RootfsHardening build_rootfs_hardening(const SecuritySpec& spec);

// Fails (ELOOP) when `path` is a symlink; fine when it is missing. For mount points the
// init itself creates, such as /proc in an image.
bool refuse_symlink(const char* path, SecurityFailure* f) noexcept;
// After /proc and /sys are mounted: sysctls, masked paths, read-only paths.
bool harden_kernel_views(const RootfsHardening& h, SecurityFailure* f) noexcept;
// --read-only: remounts / read-only (the mounts on top of it keep their own flags).
bool make_root_read_only(const RootfsHardening& h, SecurityFailure* f) noexcept;

}  // namespace berth::core::runtime
