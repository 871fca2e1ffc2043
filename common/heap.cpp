// reserve_heap() (see heap.h).
#include "common/heap.h"

#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>

namespace berth {

void reserve_heap(size_t bytes) {
  constexpr uintptr_t kHuge = 2u << 20;
  // Grow (and never shrink) the heap by `bytes` at a time, and keep big vectors on it
  // rather than in separate mmaps, each faulted in page by page.
  mallopt(M_TOP_PAD, static_cast<int>(bytes));
  mallopt(M_TRIM_THRESHOLD, static_cast<int>(bytes * 2));
  mallopt(M_MMAP_THRESHOLD, static_cast<int>(bytes / 2));
  auto before = reinterpret_cast<uintptr_t>(sbrk(0));
  // One allocation bigger than any free space at the top makes malloc grow the heap now.
  // (Through a volatile pointer: the compiler may drop a malloc that is only freed.)
  void* volatile p = malloc(1u << 20);
  free(p);
  auto after = reinterpret_cast<uintptr_t>(sbrk(0));
  uintptr_t start = (before + kHuge - 1) & ~(kHuge - 1);
  uintptr_t end = after & ~(kHuge - 1);
  if (end > start) madvise(reinterpret_cast<void*>(start), end - start, MADV_HUGEPAGE);
}

}  // namespace berth
