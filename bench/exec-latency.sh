#!/usr/bin/env bash
# exec-latency.sh [RUNS] — median wall time of `berth exec CONTAINER true` (issue 3's goal:
# <= 15 ms) in a running busybox container, and of `docker exec` / `podman exec` when those
# are installed and can run a busybox container, with the ratios.
# berth runs with its own --root/--runroot in a temp dir and imports the test busybox rootfs
# (scripts/make-busybox-rootfs.sh); nothing of the host's berth state is touched.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-20}
berth=${BERTH:-$PWD/build/berth}
[ -x "$berth" ] || { echo "exec-latency.sh: $berth missing (build first)" >&2; exit 1; }
tmp=$(mktemp -d /tmp/berth-bench-XXXXXX)
B=("$berth" --root "$tmp/root" --runroot "$tmp/run")
others=()
cleanup() {
  ids=$("${B[@]}" ps -aq 2>/dev/null || true)
  [ -n "$ids" ] && "${B[@]}" rm -f $ids >/dev/null 2>&1 || true
  for o in "${others[@]}"; do $o >/dev/null 2>&1 || true; done
  "${B[@]}" __network-reset >/dev/null 2>&1 || true  # the root's default bridge and its rules
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
