#!/usr/bin/env bash
# run-latency.sh [RUNS] — median wall time of `berth run --rm busybox true` (issue 2's goal:
# <= 25 ms), and of `docker run --rm busybox true` / `podman run --rm busybox true` when those
# are installed and have a busybox image, with the ratios. Also reports the monitor's memory:
# VmRSS of each berth-monitor for 10 running containers.
# berth runs with its own --root/--runroot in a temp dir and imports the test busybox rootfs
# (scripts/make-busybox-rootfs.sh); nothing of the host's berth state is touched.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-20}
berth=${BERTH:-$PWD/build/berth}
[ -x "$berth" ] || { echo "run-latency.sh: $berth missing (build first)" >&2; exit 1; }
tmp=$(mktemp -d /tmp/berth-bench-XXXXXX)
B=("$berth" --root "$tmp/root" --runroot "$tmp/run")
cleanup() {
  ids=$("${B[@]}" ps -aq 2>/dev/null || true)
  [ -n "$ids" ] && "${B[@]}" rm -f $ids >/dev/null 2>&1 || true
  "${B[@]}" __network-reset >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
bash scripts/make-busybox-rootfs.sh "$tmp/busybox.tar"
"${B[@]}" import "$tmp/busybox.tar" busybox >/dev/null

# median_ms CMD... : runs CMD $runs times (after 2 warm-up runs), prints the median in ms.
median_ms() {
  python3 - "$runs" "$@" <<'PY'
import statistics, subprocess, sys, time
runs, cmd = int(sys.argv[1]), sys.argv[2:]
for _ in range(2):
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
times = []
for _ in range(runs):
    t = time.perf_counter()
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times.append((time.perf_counter() - t) * 1000)
    if r.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed with {r.returncode}")
print(f"{statistics.median(times):.1f}")
PY
}

echo "machine: $(nproc) cores, $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"
# Fixed costs on this machine right now, to read the figures against (load changes them).
echo "baseline: /bin/true $(median_ms /bin/true) ms, berth --version $(median_ms "${B[@]}" --version) ms, berth ps $(median_ms "${B[@]}" ps) ms"
berth_ms=$(median_ms "${B[@]}" run --rm busybox true)
echo "berth  run --rm busybox true: median ${berth_ms} ms over $runs runs"
for engine in docker podman; do
  command -v $engine >/dev/null || { echo "$engine: not installed"; continue; }
  if ! $engine image inspect busybox >/dev/null 2>&1; then
    echo "$engine: no busybox image (import $tmp/busybox.tar as busybox to compare)"; continue
  fi
  # One try first: an engine that cannot run here (podman's crun raises RLIMIT_NOFILE, which
  # needs CAP_SYS_RESOURCE — HOST-NOTES) is reported, not timed.
  if ! err=$($engine run --rm busybox true 2>&1); then
    echo "$engine: cannot run here: $(echo "$err" | head -n 1)"; continue
  fi
  ms=$(median_ms $engine run --rm busybox true) || { echo "$engine: run failed"; continue; }
  echo "$engine run --rm busybox true: median $ms ms  (berth is $(python3 -c "print(f'{$ms/$berth_ms:.1f}')")x faster)"
done

# Monitor memory: 10 running containers.
ids=()
for i in $(seq 10); do ids+=("$("${B[@]}" run -d busybox sleep 600)"); done
total=0
for id in "${ids[@]}"; do
  mon=$(python3 -c "import json;print(json.load(open('$tmp/root/containers/$id/state.json'))['monitor_pid'])")
  rss=$(awk '/^VmRSS/ {print $2}' /proc/$mon/status)
  total=$((total + rss))
done
echo "berth-monitor VmRSS: $((total / 10)) KiB average over 10 running containers"
"${B[@]}" rm -f "${ids[@]}" >/dev/null
