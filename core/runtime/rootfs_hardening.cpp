#include "core/runtime/rootfs_hardening.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/error.h"
#include "core/runtime/init_mounts.h"

namespace berth::core::runtime {

const char* const kMaskedPaths[] = {"/proc/acpi",
                                    "/proc/kcore",
                                    "/proc/keys",
                                    "/proc/latency_stats",
                                    "/proc/timer_list",
                                    "/proc/timer_stats",
                                    "/proc/sched_debug",
                                    "/proc/scsi",
                                    "/sys/firmware",
                                    "/sys/devices/virtual/powercap",
                                    nullptr};
const char* const kReadonlyPaths[] = {"/proc/asound", "/proc/bus", "/proc/fs",
                                      "/proc/irq",    "/proc/sys", "/proc/sysrq-trigger",
                                      nullptr};

void validate_sysctl(const std::string& key) {
  static const char* const kExact[] = {"kernel.sem",    "kernel.shmall",          "kernel.shmmax",
                                       "kernel.shmmni", "kernel.shm_rmid_forced", "kernel.msgmax",
                                       "kernel.msgmnb", "kernel.msgmni"};
  if ((key.starts_with("net.") && key.size() > 4) ||
      (key.starts_with("fs.mqueue.") && key.size() > 10))
    return;
  for (const char* k : kExact)
    if (key == k) return;
  throw Error("sysctl \"" + key +
                  "\" is not allowed: only namespaced sysctls (net.*, kernel.shm*, kernel.msg*, "
                  "kernel.sem, fs.mqueue.*) can be set for a container",
              125);
}

void refuse_sysctls_in_host_netns(const std::map<std::string, std::string>& sysctls,
                                  bool host_netns) {
  if (!host_netns) return;
  for (const auto& kv : sysctls)
    if (kv.first.starts_with("net."))
      throw Error("sysctl \"" + kv.first + "\" not allowed in host network namespace", 125);
}

RootfsHardening build_rootfs_hardening(const SecuritySpec& spec) {
  RootfsHardening h;
  h.mask = !spec.privileged;
  h.read_only_rootfs = spec.read_only_rootfs;
  for (const auto& [key, value] : spec.sysctls) {
    std::string file = "/proc/sys/" + key;
    for (size_t i = 10; i < file.size(); ++i)
      if (file[i] == '.') file[i] = '/';
    h.sysctl_files.push_back(file);
    h.sysctl_values.push_back(value);
  }
  return h;
}

namespace {

// Opens a mount target without following a final symlink; -1 with errno = ENOENT when it does
// not exist (nothing to do), ELOOP when it is a symlink.
int open_target(const char* path, struct stat* st) {
  int fd = ::open(path, O_PATH | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return -1;
  if (::fstat(fd, st) < 0 || S_ISLNK(st->st_mode)) {
    int err = S_ISLNK(st->st_mode) ? ELOOP : errno;
    ::close(fd);
    errno = err;
    return -1;
  }
  return fd;
}

bool mask_path(const char* path, SecurityFailure* f) {
  struct stat st {};
  int fd = open_target(path, &st);
  if (fd < 0) return errno == ENOENT ? true : f->set("mask", path, errno);
  char buf[32];
  int rc = S_ISDIR(st.st_mode)
               ? ::mount("tmpfs", proc_fd_path(buf, fd), "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV,
                         "size=0,mode=555")
               : ::mount("/dev/null", proc_fd_path(buf, fd), nullptr, MS_BIND, nullptr);
  int err = errno;
  ::close(fd);
  return rc == 0 ? true : f->set("mask", path, err);
}

bool read_only_path(const char* path, SecurityFailure* f) {
  struct stat st {};
  int fd = open_target(path, &st);
  if (fd < 0) return errno == ENOENT ? true : f->set("make read-only", path, errno);
  char buf[32];
  int rc = ::mount(proc_fd_path(buf, fd), buf, nullptr, MS_BIND | MS_REC, nullptr);
  int err = errno;
  ::close(fd);
  if (rc < 0) return f->set("make read-only", path, err);
  // The bind mount is on top now: reopen to reach it, then remount it read-only.
  fd = open_target(path, &st);
  if (fd < 0) return f->set("make read-only", path, errno);
  rc = ::mount(nullptr, proc_fd_path(buf, fd), nullptr,
               MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr);
  err = errno;
  ::close(fd);
  return rc == 0 ? true : f->set("make read-only", path, err);
}

bool write_sysctl(const char* file, const char* value, SecurityFailure* f) {
  int fd = ::open(file, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return f->set("open sysctl", file, errno);
  size_t len = std::strlen(value);
  ssize_t n = ::write(fd, value, len);
  int err = errno;
  ::close(fd);
  if (n != static_cast<ssize_t>(len)) return f->set("write sysctl", file, n < 0 ? err : EIO);
  return true;
}

}  // namespace

bool refuse_symlink(const char* path, SecurityFailure* f) noexcept {
  struct stat st {};
  if (::lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
    return f->set("refusing to mount on symlink", path, ELOOP);
  return true;
}

bool harden_kernel_views(const RootfsHardening& h, SecurityFailure* f) noexcept {
  for (size_t i = 0; i < h.sysctl_files.size(); ++i)
    if (!write_sysctl(h.sysctl_files[i].c_str(), h.sysctl_values[i].c_str(), f)) return false;
  if (!h.mask) return true;
  for (const char* const* p = kMaskedPaths; *p; ++p)
    if (!mask_path(*p, f)) return false;
  for (const char* const* p = kReadonlyPaths; *p; ++p)
    if (!read_only_path(*p, f)) return false;
  return true;
}

bool make_root_read_only(const RootfsHardening& h, SecurityFailure* f) noexcept {
  if (!h.read_only_rootfs) return true;
  if (::mount(nullptr, "/", nullptr, MS_BIND | MS_REMOUNT | MS_RDONLY, nullptr) < 0)
    return f->set("remount read-only", "/", errno);
  return true;
}

}  // namespace berth::core::runtime
