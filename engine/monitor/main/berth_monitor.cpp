// berth-monitor: the per-container supervisor executable (monitor.h, protocol.h). A separate,
// statically linked program rather than `berth __monitor`: a static binary without spdlog or
// dlopen'd libraries starts in well under a millisecond and stays under 1 MiB RSS, against
// ~2.5 MB (12 MB with berth's libraries) for the dynamic CLI — one runs per container.
#include <fcntl.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <string>

#include "common/error.h"
#include "engine/monitor/monitor.h"
#include "engine/monitor/protocol.h"
#include "engine/runtime/exec_helper.h"
#include "engine/runtime/init_binary.h"
#include "engine/runtime/tiny_init.h"

using namespace berth::engine;

namespace {

std::string read_spec() {
  std::string text;
  char buf[8192];
  for (;;) {
    ssize_t n = ::read(monitor::kSpecFd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    text.append(buf, static_cast<size_t>(n));
  }
  return text;
}

int valid_fd(int fd) {
  return ::fcntl(fd, F_GETFD) >= 0 ? fd : -1;
}

}  // namespace

int main(int argc, char** argv) {
  // `berth exec`'s helper (runtime/exec_helper.h), run from a read-only mount of this file.
  if (argc > 1 && std::string(argv[1]) == "--exec") return runtime::run_exec_helper();
  // `run --init`: PID 1 of the container, from /dev/init (runtime/tiny_init.h).
  if (argc > 1 && std::string(argv[1]) == "--init") return runtime::run_tiny_init(argc, argv);
  ::close(monitor::kSelfFd);  // the read-only mount this program was started through
  runtime::set_monitor_path(argv[0]);
  int status = valid_fd(monitor::kStatusFd);
  if (status >= 0) ::fcntl(status, F_SETFD, FD_CLOEXEC);
  runtime::RuntimeSpec spec;
  try {
    spec = runtime::spec_from_json(nlohmann::json::parse(read_spec()));
  } catch (const std::exception& e) {
    std::string line = std::string("error 125 berth-monitor: bad spec: ") + e.what() + "\n";
    if (status >= 0 && ::write(status, line.data(), line.size()) < 0) return 1;
    return 1;
  }
  int null = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (null >= 0) {
    ::dup2(null, monitor::kSpecFd);
    ::close(null);
  }
  int attached[3];
  for (int i = 0; i < 3; ++i) {
    bool wanted = i == 0 ? spec.attach_stdin : i == 1 ? spec.attach_stdout : spec.attach_stderr;
    attached[i] = wanted ? valid_fd(monitor::kAttachFd[i]) : -1;
    if (attached[i] >= 0) ::fcntl(attached[i], F_SETFD, FD_CLOEXEC);
  }
  if (spec.network.join_netns) ::fcntl(monitor::kNetnsFd, F_SETFD, FD_CLOEXEC);
  monitor::Monitor m(std::move(spec), status, attached);
  return m.run();
}
