// execve of a command the way Docker resolves it: argv[0] with a slash is run as is, a bare
// name is looked up in the container's PATH (Go's exec.LookPath, which Docker reports). Used
// by `exec` (exec_helper.h) after it has joined the container; allocation-free, so it is safe
// in a child between clone and execve.
#pragma once

#include <cstddef>

namespace berth::core::runtime {

// Returns only when no execve succeeded: writes Docker's message into msg (cap bytes,
// NUL-terminated) and returns the exit code, 127 (not found) or 126 (not executable).
int exec_in_path(char* const* argv, char* const* envp, const char* path_env, char* msg, size_t cap);

}  // namespace berth::core::runtime
