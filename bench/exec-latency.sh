#!/usr/bin/env bash
# exec-latency.sh [RUNS] — median wall time of `berth exec CONTAINER true` (issue 3's goal:
# <= 15 ms) in a running busybox container, and of `docker exec` / `podman exec` when those
# are installed and can run a busybox container, with the ratios.
# berth runs with its own --root/--runroot in a temp dir and imports the test busybox rootfs
# (scripts/make-busybox-rootfs.sh); nothing of the host's berth state is touched.
set -euo pipefail
runs=${1:-20}
source "$(dirname "$0")/lib.sh"
bench_setup exec-latency.sh

print_machine
echo "baseline: /bin/true $(median_ms /bin/true) ms, berth --version $(median_ms "${B[@]}" --version) ms"
c=$("${B[@]}" run -d busybox sleep 600)
berth_ms=$(median_ms "${B[@]}" exec "$c" true)
echo "berth  exec CONTAINER true: median ${berth_ms} ms over $runs runs"
for engine in docker podman; do
  command -v $engine >/dev/null || { echo "$engine: not installed"; continue; }
  if ! $engine image inspect busybox >/dev/null 2>&1; then
    echo "$engine: no busybox image (import $tmp/busybox.tar as busybox to compare)"; continue
  fi
  if ! id=$($engine run -d busybox sleep 600 2>&1); then
    echo "$engine: cannot run here: $(echo "$id" | head -n 1)"; continue
  fi
  others+=("$engine rm -f $id")
  ms=$(median_ms $engine exec "$id" true) || { echo "$engine: exec failed"; continue; }
  echo "$engine exec CONTAINER true: median $ms ms  (berth is $(python3 -c "print(f'{$ms/$berth_ms:.1f}')")x faster)"
done
