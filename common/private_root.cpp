#include "common/private_root.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>

#include <cerrno>

#include "common/error.h"

namespace berth {

std::string overlay_options(const RootLayers& layers) {
  std::string out = "lowerdir=";
  for (size_t i = 0; i < layers.lower.size(); ++i) out += (i ? ":" : "") + layers.lower[i];
  if (!layers.upper.empty()) out += ",upperdir=" + layers.upper + ",workdir=" + layers.work;
  return out;
}

sys::UniqueFd mount_private_root(const RootLayers& layers, const std::string& mnt) {
  check(::unshare(CLONE_NEWNS), "unshare", "mount namespace");
  check(::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr), "make private", "/");
  if (layers.upper.empty() && layers.lower.size() == 1) {
    const std::string& only = layers.lower[0];
    check(::mount(only.c_str(), mnt.c_str(), nullptr, MS_BIND | MS_REC, nullptr), "mount", only);
  } else {
    const unsigned long flags = layers.upper.empty() ? MS_RDONLY : 0;
    check(::mount("overlay", mnt.c_str(), "overlay", flags, overlay_options(layers).c_str()),
          "mount overlay", mnt);
  }
  sys::UniqueFd root(::open(mnt.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!root) throw_errno("open", mnt, errno);
  return root;
}

}  // namespace berth
