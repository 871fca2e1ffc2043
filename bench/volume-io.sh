#!/usr/bin/env bash
# volume-io.sh [RUNS] — I/O throughput in a named volume vs the same on the host directory
# (issue 4's goal: >= 95% of host; a volume is a bind mount, there is no copy path).
#   seq:   dd 512 MiB of zeros, conv=fsync                  (MB/s)
#   small: create 5000 small files with echo, then sync     (files/s)
# The container side is `berth run --rm -v benchvol:/data busybox sh -c WORKLOAD`, minus the
# median of the same run with `true` (start-up cost); the host side runs the same busybox sh
# WORKLOAD in a directory of the same filesystem. Medians of RUNS (default 5), then ratios.
# berth runs with its own --root/--runroot in a temp dir; nothing of the host's state is touched.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
berth=${BERTH:-$PWD/build/berth}
[ -x "$berth" ] || { echo "volume-io.sh: $berth missing (build first)" >&2; exit 1; }
tmp=$(mktemp -d /var/tmp/berth-volio-XXXXXX)
B=("$berth" --root "$tmp/root" --runroot "$tmp/run")
cleanup() {
  ids=$("${B[@]}" ps -aq 2>/dev/null || true)
  [ -n "$ids" ] && "${B[@]}" rm -f $ids >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
bash scripts/make-busybox-rootfs.sh "$tmp/busybox.tar"
"${B[@]}" import "$tmp/busybox.tar" busybox >/dev/null
"${B[@]}" volume create benchvol >/dev/null
mkdir -p "$tmp/hostdir"

seq_mb=512
files=5000
seq_w="dd if=/dev/zero of=D/seq bs=1M count=$seq_mb conv=fsync 2>/dev/null; rm D/seq"
small_w="mkdir D/sf && i=0; while [ \$i -lt $files ]; do echo x > D/sf/f\$i; i=\$((i+1)); done; sync; rm -rf D/sf"

# median_s CMD... : median wall seconds of RUNS runs (after one warm-up).
median_s() {
  python3 - "$runs" "$@" <<'PY'
import statistics, subprocess, sys, time
runs, cmd = int(sys.argv[1]), sys.argv[2:]
subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
times = []
for _ in range(runs):
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
    times.append(time.perf_counter() - t)
print(f"{statistics.median(times):.4f}")
PY
}

in_volume() { median_s "${B[@]}" run --rm -v benchvol:/data busybox sh -c "${1//D\//\/data\/}"; }
on_host() { median_s /bin/busybox sh -c "${1//D\//$tmp\/hostdir\/}"; }

start=$(median_s "${B[@]}" run --rm -v benchvol:/data busybox true)
vs=$(in_volume "$seq_w"); hs=$(on_host "$seq_w")
vf=$(in_volume "$small_w"); hf=$(on_host "$small_w")
python3 - "$start" "$vs" "$hs" "$vf" "$hf" "$seq_mb" "$files" <<'PY'
import sys
start, vs, hs, vf, hf = map(float, sys.argv[1:6])
mb, files = int(sys.argv[6]), int(sys.argv[7])
vs, vf = max(vs - start, 1e-6), max(vf - start, 1e-6)
print(f"container start-up (subtracted): {start*1000:.1f} ms")
print(f"sequential write {mb} MiB: volume {mb/vs:8.1f} MB/s   host {mb/hs:8.1f} MB/s   ratio {hs/vs*100:5.1f}%")
print(f"small files x{files}:       volume {files/vf:8.0f} f/s    host {files/hf:8.0f} f/s    ratio {hf/vf*100:5.1f}%")
PY
