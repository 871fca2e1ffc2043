#!/usr/bin/env bash
# inode-alloc.sh [RUNS] — what ext4's inode allocator costs a `run --rm busybox true`, in two new
# state roots under /tmp made one after the other: one as berth makes it (root and runroot
# marked chattr +T: their directories get block groups of their own, common/paths.cpp) and one
# whose containers/ directories exist before berth runs (unmarked: everything stays in the
# block group of /tmp, with whatever was deleted there in the last minutes). Prints the time
# between the ext4_request_inode and ext4_allocate_inode tracepoints summed per run, and the
# median wall time of the runs. Needs perf; meaningful on an ext4 without a journal (only
# there does the allocator skip recently deleted inodes).
set -euo pipefail
runs=${1:-10}
command -v perf >/dev/null || { echo "inode-alloc.sh: needs perf (Debian: linux-perf), skipped"; exit 0; }
source "$(dirname "$0")/lib.sh"
bench_setup inode-alloc.sh
U=("$berth" --root "$tmp/u/root" --runroot "$tmp/u/run")
mkdir -p "$tmp/u/root/containers" "$tmp/u/run/containers"
"${U[@]}" import "$tmp/busybox.tar" busybox >/dev/null
others+=("${U[*]} __network-reset")

# alloc_ms BERTH_ARGS...: milliseconds of inode allocation per run over $runs runs.
alloc_ms() {
  "$@" run --rm busybox true
  perf record -q -e ext4:ext4_request_inode,ext4:ext4_allocate_inode -a -o "$tmp/ni.data" -- \
    bash -c "for i in \$(seq $runs); do $* run --rm busybox true; done" >/dev/null 2>&1
  perf script -i "$tmp/ni.data" -F tid,time,event 2>/dev/null | python3 -c "
import sys
start, total, n = {}, 0.0, 0
for line in sys.stdin:
    tid, t, ev = line.split()[:3]
    t = float(t.rstrip(':'))
    if 'allocate' in ev:
        if tid in start:
            total += t - start.pop(tid); n += 1
    else:
        start[tid] = t
print(f'{total * 1000 / $runs:.2f} ms per run ({n} inodes in $runs runs)')"
}

print_machine
echo "marked root (as berth makes it):   inode allocation $(alloc_ms "${B[@]}"), run median $(median_ms "${B[@]}" run --rm busybox true) ms"
echo "unmarked root (group of /tmp):     inode allocation $(alloc_ms "${U[@]}"), run median $(median_ms "${U[@]}" run --rm busybox true) ms"
