// Releasing the monitor's set-up code pages once the container runs. berth-monitor is one
// static executable for the set-up (cgroups, seccomp, mounts, clone), the exec helper and the
// init; a monitor then waits for months in a small poll loop. RSS counts every page of the
// executable the process has mapped, and the kernel maps text 64 KiB around each fault
// (fault-around), so after the set-up nearly the whole 2 MiB text counts as each monitor's.
// Used by Monitor once the container has run for a moment after each (re)start: most
// containers of a `run --rm` exit within milliseconds, and releasing the pages then would
// only cost the madvise and the faults of the exit path that reads them back.
#pragma once

#include <chrono>
#include <optional>

namespace berth::core::monitor {

// Unmaps (madvise MADV_DONTNEED) this executable's read-only, never-written pages: its text
// and read-only data, below the RELRO segment. They stay in the page cache; the pages the
// monitor still runs are faulted back from it on their next use (for a private file mapping
// that was never written, MADV_DONTNEED means "read it from the file again"). Writable and
// relocated (RELRO) pages are never touched. Best effort: errors are ignored.
void release_code_pages();

// The release, deferred until the container has run kSettle: armed after each start; the
// monitor's poll loop waits at most timeout_ms() and calls due() when it wakes.
class CodePageRelease {
 public:
  static constexpr std::chrono::milliseconds kSettle{100};
  void arm() { at_ = std::chrono::steady_clock::now() + kSettle; }
  // For poll(): -1 when nothing is pending, else the milliseconds left (0 once due).
  int timeout_ms() const;
  // Releases the pages when the time has come; once per arm().
  void due();

 private:
  std::optional<std::chrono::steady_clock::time_point> at_;
};

}  // namespace berth::core::monitor
