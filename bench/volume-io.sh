#!/usr/bin/env bash
# volume-io.sh [RUNS] — I/O throughput in a named volume vs the same on the host directory
# (issue 4's goal: >= 95% of host; a volume is a bind mount, there is no copy path).
#   seq:   dd SEQ_MB (256) MiB of zeros, conv=fsync          (MB/s)
#   small: create FILES (2000) small files with echo, sync  (files/s)
# The container side is `berth run --rm -v benchvol:/data busybox sh -c WORKLOAD`, minus the
# median of the same run with `true` (start-up cost); the host side runs the same busybox sh
# WORKLOAD in a directory of the same filesystem, alternating. Medians of RUNS (default 5).
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
  "${B[@]}" __network-reset >/dev/null 2>&1 || true  # the root's default bridge and its rules
  rm -rf "$tmp"
}
trap cleanup EXIT
bash scripts/make-busybox-rootfs.sh "$tmp/busybox.tar"
"${B[@]}" import "$tmp/busybox.tar" busybox >/dev/null
"${B[@]}" volume create benchvol >/dev/null
mkdir -p "$tmp/hostdir"

seq_mb=${SEQ_MB:-256}
files=${FILES:-2000}
seq_w="dd if=/dev/zero of=D/seq bs=1M count=$seq_mb conv=fsync 2>/dev/null; rm D/seq"
small_w="mkdir D/sf && i=0; while [ \$i -lt $files ]; do echo x > D/sf/f\$i; i=\$((i+1)); done; sync; rm -rf D/sf"

# Volume and host runs alternate (after one warm-up each), so load from other processes hits
# both sides alike; medians, with the container start-up median subtracted.
python3 - "$runs" "$seq_mb" "$files" "$tmp/hostdir" "$seq_w" "$small_w" "${B[@]}" <<'PY'
import statistics, subprocess, sys, time
runs, mb, files, hostdir, seq_w, small_w = sys.argv[1:7]
runs, mb, files = int(runs), int(mb), int(files)
berth = sys.argv[7:]
def timed(cmd):
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - t
vol = lambda w: berth + ["run", "--rm", "-v", "benchvol:/data", "busybox", "sh", "-c", w.replace("D/", "/data/")]
host = lambda w: ["/bin/busybox", "sh", "-c", w.replace("D/", hostdir + "/")]
start = statistics.median(timed(vol("true")) for _ in range(max(runs, 5)))
def compare(w):
    timed(vol(w)); timed(host(w))
    v, h = [], []
    for _ in range(runs):
        v.append(timed(vol(w)) - start)
        h.append(timed(host(w)))
    return max(statistics.median(v), 1e-6), statistics.median(h)
vs, hs = compare(seq_w)
vf, hf = compare(small_w)
print(f"container start-up (subtracted): {start*1000:.1f} ms")
print(f"sequential write {mb} MiB: volume {mb/vs:8.1f} MB/s   host {mb/hs:8.1f} MB/s   ratio {hs/vs*100:5.1f}%")
print(f"small files x{files}:       volume {files/vf:8.0f} f/s    host {files/hf:8.0f} f/s    ratio {hf/vf*100:5.1f}%")
PY
