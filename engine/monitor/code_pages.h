// Releasing the monitor's set-up code pages once the container runs. berth-monitor is one
// static executable for the set-up (cgroups, seccomp, mounts, clone), the exec helper and the
// init; a monitor then waits for months in a small poll loop. RSS counts every page of the
// executable the process has mapped, and the kernel maps text 64 KiB around each fault
// (fault-around), so after the set-up nearly the whole 2 MiB text counts as each monitor's.
// Used by Monitor after each (re)start of the container.
#pragma once

namespace berth::engine::monitor {

// Unmaps (madvise MADV_DONTNEED) this executable's read-only, never-written pages: its text
// and read-only data, below the RELRO segment. They stay in the page cache; the pages the
// monitor still runs are faulted back from it on their next use (for a private file mapping
// that was never written, MADV_DONTNEED means "read it from the file again"). Writable and
// relocated (RELRO) pages are never touched. Best effort: errors are ignored.
void release_code_pages();

}  // namespace berth::engine::monitor
