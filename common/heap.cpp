// reserve_heap() and use_huge_page_heap() (see heap.h).
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

void use_huge_page_heap() {
  constexpr uintptr_t kHuge = uintptr_t{2} << 20;
  // Heap memory stays in the heap (no trimming, no separate mmap for large blocks): the huge
  // page is made once and kept until exit.
  if (::mallopt(M_TRIM_THRESHOLD, 64 << 20) == 0 || ::mallopt(M_MMAP_THRESHOLD, 32 << 20) == 0)
    return;
  // malloc hands out the heap's top from the bottom up. The gap up to the next 2 MiB boundary
  // is allocated and kept unused: address space only, never touched, so it costs no memory.
  // Then one block is allocated across the boundary's whole 2 MiB, so that malloc's own
  // bookkeeping (the block's header below it, the rest of the top above it) stays outside;
  // madvise marks the untouched range huge and the block goes back to the heap top, where the
  // next allocations land in it.
  char* probe = static_cast<char*>(std::malloc(1));
  if (!probe) return;
  const uintptr_t boundary = (reinterpret_cast<uintptr_t>(probe) + 4096 + kHuge - 1) & ~(kHuge - 1);
  void* gap = std::malloc(boundary - reinterpret_cast<uintptr_t>(probe) - 64);
  void* volatile span = std::malloc(kHuge + 65536);  // volatile: the pair is not elided
  const auto at = reinterpret_cast<uintptr_t>(span);
  // (When the probe came from a freed block rather than the top, the blocks landed elsewhere:
  // nothing is marked.)
  if (gap && span && at < boundary && at + kHuge + 65536 > boundary + kHuge + 64)
    ::madvise(reinterpret_cast<void*>(boundary), kHuge, MADV_HUGEPAGE);
  std::free(span);
  std::free(probe);
  // `gap` is deliberately kept: freed, it would be handed out again first.
}

}  // namespace berth
