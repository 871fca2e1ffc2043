// ExecPlan: what `berth exec` asks the exec helper to run inside a running container, fully
// resolved by the CLI (user ids from the container's /etc/passwd, env, working dir), and the
// messages the helper and its child send back. The plan travels as one JSON message on the
// SOCK_SEQPACKET sync socket (fd 3 of `berth-monitor --exec`); see exec_helper.h.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/runtime/process_spec.h"
#include "core/runtime/security.h"
#include "core/runtime/ulimits.h"

namespace berth::core::runtime {

// The process (ProcessSpec; tty: a pty is allocated in the container's devpts and its master
// sent back) and how to run it.
struct ExecPlan : ProcessSpec {
  bool detach = false;  // -d: the process is handed to the container's init
  bool privileged = false;
  unsigned short tty_rows = 0, tty_cols = 0;
  // The container's capabilities, seccomp profile, no-new-privileges and ulimits (security.h),
  // applied to the exec'd process as to the container's own; seccomp_cache: where compiled
  // seccomp programs are kept (<runroot>/seccomp).
  SecuritySpec security;
  std::vector<Ulimit> ulimits;
  std::string seccomp_cache;
};

nlohmann::json to_json(const ExecPlan& p);
ExecPlan exec_plan_from_json(const nlohmann::json& j);

// Helper/child → CLI. End of file without kError means the command's execve succeeded.
struct ExecMessage {
  enum Kind : int32_t { kError = 1, kPtyMaster = 2, kPid = 3 };
  int32_t kind = kError;
  int32_t exit_code = 125;
  int32_t pid = 0;  // kPid: the exec'd process, as the host sees it
  char text[500] = {};
};

// Fds of `berth-monitor --exec`.
inline constexpr int kExecSyncFd = 3;
inline constexpr int kExecPidFd = 4;   // pidfd of the container's init
inline constexpr int kExecSelfFd = 5;  // the helper's own executable (read-only mount)
inline constexpr size_t kMaxExecPlan = 256 * 1024;

}  // namespace berth::core::runtime
