// Network namespaces for containers (ARCHITECTURE.md §5). The CLI makes a container's netns
// before its monitor exists: this thread unshares into a fresh namespace, opens it and a
// netlink socket inside it, and returns to the host's. The namespace lives as long as an fd
// to it is open: the CLI hands the fd to the monitor, which keeps it for the container's whole
// life (the init joins it with setns), so when the monitor ends the namespace and the veth
// ends in it vanish with it — a crash anywhere leaks no interface.
#pragma once

#include <memory>

#include "network/netlink.h"
#include "sys/unique_fd.h"

namespace berth::network {

struct NetnsHandle {
  sys::UniqueFd fd;                 // the namespace (O_CLOEXEC)
  std::unique_ptr<Netlink> inside;  // a socket acting inside it
};

// A new, empty namespace. Throws Error.
NetnsHandle create_netns();
// A netlink socket acting inside an existing namespace (e.g. /proc/PID/ns/net).
std::unique_ptr<Netlink> netlink_in(int netns_fd);
// Opens /proc/PID/ns/net. Throws Error.
sys::UniqueFd open_netns_of(pid_t pid);

}  // namespace berth::network
