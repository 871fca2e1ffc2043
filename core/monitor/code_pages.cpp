#include "core/monitor/code_pages.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstring>

#include "sys/unique_fd.h"

// From the linker's default script: the first array of the RELRO segment (static and
// dynamic executables alike). Everything of this executable mapped below its page is
// read-only data or text that no relocation wrote.
extern "C" void (*__init_array_start[])();

namespace berth::core::monitor {

namespace {

struct Mapping {
  uintptr_t start = 0, end = 0;
  char perms[5] = {};
  unsigned major = 0, minor = 0;
  unsigned long inode = 0;
};

// One line of /proc/self/maps: "start-end perms offset dev inode path".
bool parse(const char* line, Mapping& m) {
  unsigned long start = 0, end = 0, offset = 0;
  if (std::sscanf(line, "%lx-%lx %4s %lx %x:%x %lu", &start, &end, m.perms, &offset, &m.major,
                  &m.minor, &m.inode) != 7)
    return false;
  m.start = start;
  m.end = end;
  return true;
}

}  // namespace

void release_code_pages() {
  struct stat self {};
  if (::stat("/proc/self/exe", &self) != 0) return;
  const uintptr_t page = static_cast<uintptr_t>(::sysconf(_SC_PAGESIZE));
  const uintptr_t limit = reinterpret_cast<uintptr_t>(__init_array_start) & ~(page - 1);
  sys::UniqueFd fd(::open("/proc/self/maps", O_RDONLY | O_CLOEXEC));
  if (!fd) return;
  // A static monitor has a dozen mappings: one read is the whole file.
  char buf[8192];
  ssize_t n = ::read(fd.get(), buf, sizeof buf - 1);
  if (n <= 0) return;
  buf[n] = '\0';
  for (char* line = buf; line && *line;) {
    char* next = std::strchr(line, '\n');
    if (next) *next++ = '\0';
    Mapping m;
    if (parse(line, m) && m.inode == self.st_ino && ::makedev(m.major, m.minor) == self.st_dev &&
        m.perms[1] == '-' && m.perms[3] == 'p' && m.end <= limit)
      ::madvise(reinterpret_cast<void*>(m.start), m.end - m.start, MADV_DONTNEED);
    line = next;
  }
}

int CodePageRelease::timeout_ms() const {
  if (!at_) return -1;
  auto left = std::chrono::ceil<std::chrono::milliseconds>(*at_ - std::chrono::steady_clock::now());
  return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

void CodePageRelease::due() {
  if (!at_ || std::chrono::steady_clock::now() < *at_) return;
  at_.reset();
  release_code_pages();
}

}  // namespace berth::core::monitor
