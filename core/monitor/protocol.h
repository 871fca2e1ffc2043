// How the `berth` CLI and a `berth-monitor` process talk (no daemon, no socket server):
//   * the CLI spawns the monitor (fork → setsid → fork → exec, lifecycle/spawn.h) first, and
//     prepares the container while the monitor starts, with
//       fd 0  a socket carrying the RuntimeSpec as JSON (read to end of file; nothing at all:
//             the CLI gave up before it had a spec, and the monitor exits at once),
//       fd 1, 2  /dev/null,
//       fd 3  the status pipe, monitor → CLI, text lines:
//               "started PID MONITOR\n"    the container's init has exec'd (host pids)
//               "error CODE MESSAGE\n"     it could not start (CODE: 125/126/127)
//               "exited CODE\n"            it ended (only while someone is attached)
//       fd 4, 5, 6  the attached CLI's stdin, stdout, stderr (only those the spec names),
//       fd 7  the monitor's own executable (kSelfFd, below),
//       fd 8  the network socket (kNetworkFd, below): the monitor sets up everything else
//             of the container meanwhile and reads it just before it clones the init.
//     A detached CLI exits after "started"; an attached one waits for "exited" (and sends
//     the monitor SIGWINCH when its terminal is resized) while the
//     monitor copies the container's output to fds 5/6 and to the log, and fd 4 to its stdin.
//   * afterwards, everything goes through files: state.json, log.json and the monitor lock
//     (state/container_store.h).
#pragma once

#include <cstddef>
#include <cstdlib>
#include <optional>
#include <string>

namespace berth::core::monitor {

inline constexpr const char* kMonitorBinary = "berth-monitor";
inline constexpr int kSpecFd = 0;
inline constexpr int kStatusFd = 3;
inline constexpr int kAttachFd[3] = {4, 5, 6};
// The monitor's own executable: a read-only detached mount it was started through
// (/proc/self/fd/7), so the container's init, a clone of the monitor, never exposes a
// writable host binary (CVE-2019-5736). Close-on-exec in the monitor, which closes it
// after the container's exit (monitor.h self_mount_).
inline constexpr int kSelfFd = 7;
// The network socket (SOCK_SEQPACKET), one message from the CLI once it has set up the
// container's networking (network/container_network.h), which it does while the monitor
// starts: "network " + the NetworkSpec as JSON (runtime/spec.h), with the container's network
// namespace attached (SCM_RIGHTS) when it says join_netns; or "error CODE MESSAGE" when the
// CLI could not set it up. End of file instead: the CLI is gone. Either way but the first, the
// monitor undoes the start as for any failed start and reports "error".
inline constexpr int kNetworkFd = 8;
inline constexpr size_t kNetworkMessageMax = 16384;

// text with its newlines made spaces: one line of the status pipe, one State.Error.
inline std::string one_line(std::string text) {
  for (char& ch : text)
    if (ch == '\n') ch = ' ';
  return text;
}

// "error CODE MESSAGE": a start that failed, on the status pipe (monitor → CLI, followed by a
// newline) and on the network socket (CLI → monitor).
inline std::string error_message(int code, const std::string& text) {
  return "error " + std::to_string(code) + " " + one_line(text);
}

struct StartError {
  int code = 125;
  std::string message;
};

// The error an error_message() carries (a missing or non-positive code: 125); nullopt when
// `text` is not one.
inline std::optional<StartError> parse_error_message(const std::string& text) {
  if (!text.starts_with("error ")) return std::nullopt;
  StartError e;
  const int code = std::atoi(text.c_str() + 6);
  if (code > 0) e.code = code;
  const size_t sp = text.find(' ', 6);
  if (sp != std::string::npos) e.message = text.substr(sp + 1);
  return e;
}

}  // namespace berth::core::monitor
