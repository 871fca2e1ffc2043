// berth-proxy: the userland port proxy of one container (network/proxy_protocol.h for argv and
// fds, network/port_proxy.h for who starts and stops it, docs/DESIGN-NOTES.md §12 for why it
// is a program of its own). Binds every published port, reports, drops to nobody, relays to the
// container (network/userland_proxy.h, Asio on a thread) and exits when the container's monitor
// ends or on SIGTERM. Static and small: one runs per container with published ports on hosts
// without nftables.
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/file_lock.h"
#include "network/proxy_protocol.h"
#include "network/userland_proxy.h"
#include "sys/syscalls.h"
#include "sys/unique_fd.h"

using namespace berth;
using namespace berth::network;

namespace {

void report(const std::string& line) {
  std::string text = line;
  for (char& c : text)
    if (c == '\n') c = ' ';
  text += "\n";
  ssize_t n = ::write(kProxyStatusFd, text.data(), text.size());
  (void)n;
  ::close(kProxyStatusFd);
}

std::vector<PortBinding> bindings_of(int argc, char** argv) {
  std::vector<PortBinding> out;
  for (int i = 3; i < argc; ++i) {
    auto b = decode_proxy_binding(argv[i]);
    if (!b) throw Error(std::string("berth-proxy: bad binding ") + argv[i]);
    out.push_back(*b);
  }
  return out;
}

// Waits until `fd` is readable or a stop signal arrives; false on the signal.
bool wait_readable(int fd, int sigfd) {
  pollfd p[2] = {{fd, POLLIN, 0}, {sigfd, POLLIN, 0}};
  while (::poll(p, 2, -1) < 0)
    if (errno != EINTR) return false;
  return !(p[1].revents & POLLIN);
}

// The monitor's pid, sent on the control fd; 0 when it closed without one or on a signal.
pid_t read_monitor_pid(int sigfd) {
  std::string text;
  char buf[32];
  while (wait_readable(kProxyControlFd, sigfd)) {
    ssize_t n = ::read(kProxyControlFd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    text.append(buf, static_cast<size_t>(n));
  }
  ::close(kProxyControlFd);
  return static_cast<pid_t>(std::atol(text.c_str()));
}

// Nothing after the bind needs root: connecting to the container is unprivileged.
void drop_privileges() {
  if (::setgroups(0, nullptr) < 0 || ::setgid(65534) < 0 || ::setuid(65534) < 0)
    throw_errno("drop privileges", "berth-proxy", errno);
}

int serve(const std::string& base, Ipv4Address ip, const std::vector<PortBinding>& bindings,
          int sigfd) {
  FileLock lock = FileLock::try_lock(base + ".lock");
  if (!lock.held()) throw Error("a port proxy already runs for " + base);
  std::error_code ec;
  std::filesystem::remove(base + ".pid", ec);  // a stale one must never name another process
  UserlandProxy proxy(bindings, ip);
  write_file_atomic(base + ".pid", std::to_string(::getpid()), 0600, false);
  drop_privileges();
  report("ok");
  std::thread io([&] {
    for (;;) {
      try {
        proxy.run();
        return;
      } catch (const std::exception&) {
        // One broken connection must not take the other ports down.
      }
    }
  });
  pid_t monitor = read_monitor_pid(sigfd);
  sys::UniqueFd pidfd(monitor > 0 ? sys::pidfd_open(monitor, 0) : -1);
  if (pidfd) wait_readable(pidfd.get(), sigfd);
  proxy.stop();
  io.join();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    const char usage[] = "usage: berth-proxy BASE CONTAINER_IP PROTO/HOSTPORT/PORT/HOSTIP...\n";
    ssize_t n = ::write(2, usage, sizeof usage - 1);
    (void)n;
    return 2;
  }
  sigset_t stop;
  sigemptyset(&stop);
  for (int s : {SIGTERM, SIGINT, SIGHUP}) sigaddset(&stop, s);
  ::sigprocmask(SIG_BLOCK, &stop, nullptr);  // before any thread: they all inherit it
  ::signal(SIGPIPE, SIG_IGN);
  sys::UniqueFd sigfd(::signalfd(-1, &stop, SFD_CLOEXEC));
  try {
    auto ip = parse_ipv4(argv[2]);
    if (!ip) throw Error(std::string("berth-proxy: bad container address ") + argv[2]);
    return serve(argv[1], *ip, bindings_of(argc, argv), sigfd.get());
  } catch (const std::exception& e) {
    report(std::string("error ") + e.what());
    return 1;
  }
}
