// How the `berth` CLI and a `berth-monitor` process talk (no daemon, no socket server):
//   * the CLI spawns the monitor (fork → setsid → fork → exec, lifecycle/spawn.h) with
//       fd 0  a pipe carrying the RuntimeSpec as JSON (read to end of file),
//       fd 1, 2  /dev/null,
//       fd 3  the status pipe, monitor → CLI, text lines:
//               "started PID MONITOR\n"    the container's init has exec'd (host pids)
//               "error CODE MESSAGE\n"     it could not start (CODE: 125/126/127)
//               "exited CODE\n"            it ended (only while someone is attached)
//       fd 4, 5, 6  the attached CLI's stdin, stdout, stderr (only those the spec names),
//       fd 7  the monitor's own executable (kSelfFd, below),
//       fd 8  the container's network namespace (only when the spec says join_netns).
//     A detached CLI exits after "started"; an attached one waits for "exited" (and sends
//     the monitor SIGWINCH when its terminal is resized) while the
//     monitor copies the container's output to fds 5/6 and to the log, and fd 4 to its stdin.
//   * afterwards, everything goes through files: state.json, log.json and the monitor lock
//     (state/container_store.h).
#pragma once

namespace berth::engine::monitor {

inline constexpr const char* kMonitorBinary = "berth-monitor";
inline constexpr int kSpecFd = 0;
inline constexpr int kStatusFd = 3;
inline constexpr int kAttachFd[3] = {4, 5, 6};
// The monitor's own executable: a read-only detached mount it was started through
// (/proc/self/fd/7), so the container's init, a clone of the monitor, never exposes a
// writable host binary (CVE-2019-5736). The monitor closes it first thing.
inline constexpr int kSelfFd = 7;
// The container's network namespace, when RuntimeSpec::network.join_netns.
inline constexpr int kNetnsFd = 8;

}  // namespace berth::engine::monitor
