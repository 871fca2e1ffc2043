// berth-monitor: the per-container supervisor executable (monitor.h, protocol.h). A separate,
// statically linked program rather than `berth __monitor`: a static binary without spdlog or
// dlopen'd libraries starts in well under a millisecond and stays under 1 MiB RSS, against
// ~2.5 MB (12 MB with berth's libraries) for the dynamic CLI — one runs per container.
#include <fcntl.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <string>

#include "common/error.h"
#include "core/monitor/monitor.h"
#include "core/monitor/protocol.h"
#include "core/runtime/exec_helper.h"
#include "core/runtime/init_binary.h"
#include "core/runtime/tiny_init.h"

using namespace berth::core;

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

// fd, made close-on-exec, or -1 when it is not open.
int cloexec(int fd) {
  return ::fcntl(fd, F_SETFD, FD_CLOEXEC) == 0 ? fd : -1;
}

}  // namespace

int main(int argc, char** argv) {
  // `berth exec`'s helper (runtime/exec_helper.h), run from a read-only mount of this file.
  if (argc > 1 && std::string(argv[1]) == "--exec") return runtime::run_exec_helper();
  // `run --init`: PID 1 of the container, from /dev/init (runtime/tiny_init.h).
  if (argc > 1 && std::string(argv[1]) == "--init") return runtime::run_tiny_init(argc, argv);
  runtime::set_monitor_path(argv[0]);
  monitor::Monitor::Fds fds;
  fds.self = cloexec(monitor::kSelfFd);  // the read-only mount this program was started through
  fds.status = cloexec(monitor::kStatusFd);
  const int status = fds.status;
  runtime::RuntimeSpec spec;
  try {
    const std::string text = read_spec();
    if (text.empty()) return 1;  // the CLI gave up before it had a spec: nothing to undo
    spec = runtime::spec_from_json(nlohmann::json::parse(text));
  } catch (const std::exception& e) {
    const std::string line =
        monitor::error_message(125, std::string("berth-monitor: bad spec: ") + e.what()) + "\n";
    if (status >= 0 && ::write(status, line.data(), line.size()) < 0) return 1;
    return 1;
  }
  int null = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (null >= 0) {
    ::dup2(null, monitor::kSpecFd);
    ::close(null);
  }
  for (int i = 0; i < 3; ++i) {
    bool wanted = i == 0 ? spec.attach_stdin : i == 1 ? spec.attach_stdout : spec.attach_stderr;
    fds.attached[i] = wanted ? cloexec(monitor::kAttachFd[i]) : -1;
  }
  fds.network = cloexec(monitor::kNetworkFd);
  monitor::Monitor m(std::move(spec), fds);
  return m.run();
}
