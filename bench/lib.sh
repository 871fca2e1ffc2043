# bench/lib.sh — what the berth benches share; sourced by run-latency.sh and exec-latency.sh.
# After `bench_setup NAME`: $tmp (a temp dir, removed at exit), B=(berth --root --runroot in
# $tmp, so nothing of the host's berth state is touched) and a `busybox` image imported from
# the test rootfs (scripts/make-busybox-rootfs.sh). Commands added to the array `others` run at
# exit (e.g. removing a docker container). median_ms CMD... prints the median wall time.

bench_setup() {
  local name=$1
  cd "$(dirname "${BASH_SOURCE[0]}")/.."
  runs=${runs:-20}
  berth=${BERTH:-$PWD/build/berth}
  [ -x "$berth" ] || { echo "$name: $berth missing (build first)" >&2; exit 1; }
  tmp=$(mktemp -d /tmp/berth-bench-XXXXXX)
  B=("$berth" --root "$tmp/root" --runroot "$tmp/run")
  others=()
  trap bench_cleanup EXIT
  bash scripts/make-busybox-rootfs.sh "$tmp/busybox.tar"
  "${B[@]}" import "$tmp/busybox.tar" busybox >/dev/null
}

bench_cleanup() {
  local ids o
  ids=$("${B[@]}" ps -aq 2>/dev/null || true)
  [ -n "$ids" ] && "${B[@]}" rm -f $ids >/dev/null 2>&1 || true
  for o in "${others[@]}"; do $o >/dev/null 2>&1 || true; done
  "${B[@]}" __network-reset >/dev/null 2>&1 || true  # the root's default bridge and its rules
  rm -rf "$tmp"
}

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

# The machine and its fixed costs right now, to read the figures against (load changes them).
print_machine() {
  echo "machine: $(nproc) cores, $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"
}
