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

}  // namespace berth
