#!/usr/bin/env bash
# run-latency.sh [RUNS] — median wall time of `berth run --rm busybox true` (issue 2's goal:
# <= 25 ms), and of `docker run --rm busybox true` / `podman run --rm busybox true` when those
# are installed and have a busybox image, with the ratios. Also reports the monitor's memory:
# VmRSS of each berth-monitor for 10 running containers.
# berth runs with its own --root/--runroot in a temp dir and imports the test busybox rootfs
# (scripts/make-busybox-rootfs.sh); nothing of the host's berth state is touched.
set -euo pipefail
runs=${1:-20}
source "$(dirname "$0")/lib.sh"
bench_setup run-latency.sh

print_machine
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
total=0 anon=0 pss=0
for id in "${ids[@]}"; do
  mon=$(python3 -c "import json;print(json.load(open('$tmp/root/containers/$id/state.json'))['monitor_pid'])")
  total=$((total + $(awk '/^VmRSS/ {print $2}' /proc/$mon/status)))
  anon=$((anon + $(awk '/^RssAnon/ {print $2}' /proc/$mon/status)))
  pss=$((pss + $(awk '/^Pss:/ {print $2}' /proc/$mon/smaps_rollup)))
done
echo "berth-monitor VmRSS: $((total / 10)) KiB average over 10 running containers (anonymous $((anon / 10)) KiB, PSS $((pss / 10)) KiB)"
"${B[@]}" rm -f "${ids[@]}" >/dev/null
