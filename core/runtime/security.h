// Process security: what a container process may do once it runs — capabilities, seccomp,
// no_new_privs and rlimits. One piece shared by the container's init (init.cpp) and by
// `exec` (a process joining a running container), so both get exactly the same confinement.
//
//   SecuritySpec        what was asked (flags, stored in the container's config and the
//                       RuntimeSpec); JSON round-trips.
//   ProcessSecurity     built from it by the monitor or the CLI BEFORE clone/fork: cap sets as
//                       bitmasks, the seccomp profile compiled to BPF (libseccomp, ~ms), the
//                       rlimits checked against what this process can set. Throws Error.
//   apply_process_security()  called in the child between the user switch and execve.
//                       Allocation-free and async-signal-safe (only syscalls).
//
// The user switch before it must keep the permitted set across setuid: call
// prctl(PR_SET_KEEPCAPS, 1) before setuid/setgid (prepare_user_switch() does it).
#pragma once

#include <linux/filter.h>
#include <sys/resource.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/runtime/capabilities.h"
#include "core/runtime/ulimits.h"

namespace berth::core::runtime {

struct SecuritySpec {
  bool privileged = false;           // --privileged: all caps, no seccomp, no masked paths
  std::vector<std::string> cap_add;  // "CAP_X" or "ALL", as normalize_capability() spells it
  std::vector<std::string> cap_drop;
  bool no_new_privileges = false;  // --security-opt no-new-privileges
  // --security-opt seccomp=: "" the default profile, "unconfined", or a profile's JSON text
  // (read at create time, like Docker, so the file may go away); seccomp_source names it.
  std::string seccomp;
  std::string seccomp_source;
  bool read_only_rootfs = false;               // --read-only
  std::map<std::string, std::string> sysctls;  // --sysctl, validated (sysctl.h)
  bool operator==(const SecuritySpec&) const = default;
};

nlohmann::json to_json(const SecuritySpec& s);
SecuritySpec security_from_json(const nlohmann::json& j);

struct ProcessRlimit {
  int resource = 0;
  rlimit value{};
  char name[16] = {};
};

struct ProcessSecurity {
  CapMask bounding = 0;  // also effective and permitted; inheritable and ambient stay empty
  int last_cap = 40;     // the kernel's cap_last_cap
  bool no_new_privs = false;
  std::vector<sock_filter> seccomp;  // empty: unconfined
  std::vector<ProcessRlimit> rlimits;
  // The kernel's view of the program, pointing into `seccomp` (fixed by build).
  sock_fprog seccomp_prog{};

  ProcessSecurity() = default;
  ProcessSecurity(const ProcessSecurity&) = delete;
  ProcessSecurity& operator=(const ProcessSecurity&) = delete;
  ProcessSecurity(ProcessSecurity&& o) noexcept { *this = std::move(o); }
  ProcessSecurity& operator=(ProcessSecurity&& o) noexcept;
};

// Resolves caps (Docker's add/drop rules, limited to what this process holds: an explicit
// --cap-add of a capability berth does not hold is an error), compiles the seccomp profile
// for the resulting caps, checks the ulimits. Throws Error (125).
// seccomp_cache: where compiled programs are kept (cached_seccomp_program(); "" compiles
// every time), normally <runroot>/seccomp.
ProcessSecurity build_process_security(const SecuritySpec& spec, const std::vector<Ulimit>& ulimits,
                                       const std::filesystem::path& seccomp_cache = {});

// Where apply_process_security() failed: ``op `subject`: strerror(err)``.
struct SecurityFailure {
  const char* op = "";
  const char* subject = "";
  int err = 0;
  // Fills the failure and returns false, for `return f->set(...)` in the child.
  bool set(const char* failed_op, const char* failed_subject, int error) noexcept {
    op = failed_op;
    subject = failed_subject;
    err = error;
    return false;
  }
};

// Call before setgroups/setgid/setuid in the child, so the permitted set survives a switch to
// a non-root uid. Returns false with *failure set.
bool prepare_user_switch(SecurityFailure* failure) noexcept;

// Sets rlimits, the bounding set, clears ambient and inheritable, sets effective/permitted,
// no_new_privs, installs the seccomp filter. The next syscall should be execve: the filter
// is in force from here on (Docker's profile, and any usable profile, allows execve).
// No allocation, no locks; returns false with *failure set.
bool apply_process_security(const ProcessSecurity& s, SecurityFailure* failure) noexcept;

}  // namespace berth::core::runtime
