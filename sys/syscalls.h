// Thin wrappers over the raw syscalls glibc 2.36 does not wrap (see the man pages named
// below). They never throw and never allocate, so they are safe between clone and execve:
// each returns the syscall's result, or -errno on failure.
#pragma once

#include <linux/openat2.h>
#include <linux/sched.h>
#include <sys/types.h>

#include <cstdint>

namespace berth::sys {

// pivot_root(2)
int pivot_root(const char* new_root, const char* put_old);
// openat2(2); returns the new fd (O_CLOEXEC is the caller's to pass in how->flags).
int openat2(int dirfd, const char* path, const struct open_how* how);
// pidfd_open(2)
int pidfd_open(pid_t pid, unsigned int flags);
// pidfd_send_signal(2)
int pidfd_send_signal(int pidfd, int sig);
// close_range(2)
int close_range(unsigned int first, unsigned int last, unsigned int flags);
// clone3(2) without a new stack (fork semantics): returns the child's pid in the parent, 0 in
// the child, -errno on failure. The child must only call async-signal-safe functions.
long clone3(struct clone_args* args);

}  // namespace berth::sys
