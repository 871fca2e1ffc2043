// Heap tuning for the paravirtualised guests berth is measured on, where every first touch
// of a 4 KiB page costs ~14 us (docs/PERFORMANCE.md, machine costs).
//
// reserve_heap(): prepares glibc's heap for a command that builds a large tree of small
// objects (the compose loader: ~50,000 nodes for a 1000-service file). It makes the heap grow
// in one step of `bytes` and asks for transparent huge pages on it, which halves the
// loader's CPU time on these VMs: most of it went to 4 KiB page faults and to malloc
// growing the heap piecemeal (docs/PERFORMANCE.md, compose config). Memory is still touched
// lazily; only the address space is reserved. Best effort: failures are ignored.
#pragma once

#include <cstddef>

namespace berth {

void reserve_heap(size_t bytes);

// use_huge_page_heap(): the next 2 MiB of the heap become one transparent huge page, mapped
// by a single fault (where the kernel allows THP for madvise()d memory, the default); the
// CLI's ~100 heap pages were ~1.5 ms of every `berth run`. For short-lived processes: it adds
// up to 2 MiB to the resident size and the heap is never trimmed. Best effort, like the above.
void use_huge_page_heap();

}  // namespace berth
