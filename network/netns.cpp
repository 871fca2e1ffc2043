#include "network/netns.h"

#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <string>

#include "common/error.h"

namespace berth::network {

namespace {

sys::UniqueFd open_ns(const std::string& path) {
  sys::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) throw_errno("open", path, errno);
  return fd;
}

// Runs body inside the namespace entered by `enter`, then returns this thread to the one it
// was in. Failing to return would leave the CLI in a container's namespace: abort instead.
template <typename Enter, typename Body>
void in_namespace(Enter enter, Body body) {
  sys::UniqueFd home = open_ns("/proc/thread-self/ns/net");
  enter();
  try {
    body();
  } catch (...) {
    if (::setns(home.get(), CLONE_NEWNET) < 0) std::abort();
    throw;
  }
  if (::setns(home.get(), CLONE_NEWNET) < 0) std::abort();
}

}  // namespace

NetnsHandle create_netns() {
  NetnsHandle h;
  in_namespace([] { check(::unshare(CLONE_NEWNET), "unshare", "network namespace"); },
               [&] {
                 h.fd = open_ns("/proc/thread-self/ns/net");
                 h.inside = std::make_unique<Netlink>();
               });
  return h;
}

std::unique_ptr<Netlink> netlink_in(int netns_fd) {
  std::unique_ptr<Netlink> nl;
  in_namespace([&] { check(::setns(netns_fd, CLONE_NEWNET), "setns", "network namespace"); },
               [&] { nl = std::make_unique<Netlink>(); });
  return nl;
}

sys::UniqueFd open_netns_of(pid_t pid) {
  return open_ns("/proc/" + std::to_string(pid) + "/ns/net");
}

}  // namespace berth::network
