// seccomp profiles in Docker's JSON format (defaultAction, defaultErrnoRet, architectures or
// archMap, syscalls[{names, action, errnoRet, args[{index, value, valueTwo, op}],
// includes/excludes{caps, arches, minKernel}}]) compiled with libseccomp into a classic BPF
// program. Compiling is the expensive part (~ms): the monitor (or the CLI for exec) does it
// once, before clone; the init only installs the ready program (security.h).
#pragma once

#include <linux/filter.h>

#include <filesystem>
#include <string>
#include <vector>

#include "core/runtime/capabilities.h"

namespace berth::core::runtime {

// The built-in profile (seccomp_default.cpp), Docker's format.
const char* default_seccomp_profile();

// Compiles `profile` (JSON text) for this machine's architecture (plus the sub-architectures
// the profile lists for it; x32 only where kernel_runs_x32()), keeping the rules whose
// includes/excludes match `caps`. `source` names the profile in errors ("seccomp profile /x.json:
// ..."). Throws Error (125) for invalid JSON, an unknown action/operator/architecture, or a
// libseccomp failure. The program is libseccomp's, shortened by compact_seccomp_program()
// unless `compact` is false (tests compare the two).
std::vector<sock_filter> compile_seccomp_profile(const std::string& profile, CapMask caps,
                                                 const std::string& source, bool compact = true);

// True when this kernel runs x32 syscalls (x86_64 numbers with bit 30 set).
bool kernel_runs_x32();

// compile_seccomp_profile() through a cache of compiled programs in `cache_dir` (the runroot's
// seccomp/), keyed by a hash of the profile, the caps, the architecture (and x32 support), the
// kernel release and libseccomp's version: libseccomp needs tens of milliseconds (over 100 on a
// loaded machine) for Docker-sized profiles, reading the cached program a few microseconds. The
// directory is root's (runroot is 0700); an unreadable or malformed entry is recompiled and
// replaced. An empty cache_dir compiles every time.
std::vector<sock_filter> cached_seccomp_program(const std::string& profile, CapMask caps,
                                                const std::string& source,
                                                const std::filesystem::path& cache_dir);

}  // namespace berth::core::runtime
