#!/usr/bin/env bash
# hot-symbols.sh [BUILD_DIR] — regenerates cli/hot-symbols.txt and
# core/monitor/main/hot-symbols.txt: the functions of `berth` and `berth-monitor` that the
# common commands run, which the link puts first and together (cli/CMakeLists.txt,
# core/CMakeLists.txt: lld's --symbol-ordering-file; docs/DESIGN-NOTES.md §5).
#
# Needs root, perf (Debian: linux-perf) and a configured build with lld (default build/). Runs
# containers in its own --root/--runroot in a temp dir. First it samples the user-space
# instructions of the workload below; then, a few rounds until nothing is added, it relinks
# and adds the functions at every text address the workload still page-faults on beyond the
# listed ones (short functions that sampling misses). A stale list costs only speed: names
# that no longer exist are ignored by the link, new functions go after the listed ones.
set -euo pipefail
cd "$(dirname "$0")/.."
build=$(realpath "${1:-build}")
tmp=$(mktemp -d /tmp/berth-hot-XXXXXX)
B=("$build/berth" --root "$tmp/root" --runroot "$tmp/run")
cleanup() {
  "${B[@]}" rm -f $("${B[@]}" ps -aq 2>/dev/null) >/dev/null 2>&1 || true
  "${B[@]}" __network-reset >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
lists=(cli/hot-symbols.txt core/monitor/main/hot-symbols.txt)
relink() { cmake --build "$build" --target berth berth-monitor >/dev/null; }

workload() {  # ROUNDS
  local c id
  c=$("${B[@]}" run -d busybox sleep 600)
  for _ in $(seq "$1"); do
    "${B[@]}" run --rm busybox true
    "${B[@]}" exec "$c" true
    "${B[@]}" ps >/dev/null
    "${B[@]}" ps -a >/dev/null
    "${B[@]}" inspect "$c" >/dev/null
    "${B[@]}" logs "$c" >/dev/null
    "${B[@]}" images >/dev/null
    "${B[@]}" --version >/dev/null
    id=$("${B[@]}" run -d busybox sleep 10)
    "${B[@]}" stop -t 0 "$id" >/dev/null
    "${B[@]}" rm "$id" >/dev/null
    "${B[@]}" run --rm -e A=1 -w /tmp busybox sh -c 'echo hi' >/dev/null
    "${B[@]}" exec -e B=2 -w /tmp "$c" sh -c 'echo hi' >/dev/null
  done
  "${B[@]}" rm -f "$c" >/dev/null
}

# add.py MODE PERF_SCRIPT_OUTPUT: maps addresses to the binaries' functions and appends the
# new ones to the lists. berth-monitor runs from a detached read-only mount of itself, under
# the names of the fds it was exec'd through: perf calls its file "/".
add_functions() {
  python3 - "$1" "$build" "${lists[@]}" <<'PY'
import bisect, re, subprocess, sys
samples, build, cli_list, monitor_list = sys.argv[1:5]

def table(binary):
    out = subprocess.run(['nm', '--defined-only', '-S', binary], capture_output=True, text=True).stdout
    syms = sorted((int(a, 16), int(s, 16), n) for a, s, t, n in
                  (l.split() for l in out.splitlines() if len(l.split()) == 4) if t in 'tTwW')
    return syms, [s[0] for s in syms]

def listed(path):
    return [l.strip() for l in open(path) if l.strip() and not l.startswith('#')]

added = {}
for binary, dso, path in ((f'{build}/berth', f'({build}/berth)', cli_list),
                          (f'{build}/berth-monitor', '(/)', monitor_list)):
    syms, starts = table(binary)
    have = listed(path)
    seen = set(have)
    for line in open(samples):
        p = line.split()
        if len(p) < 2 or p[-1] != dso:
            continue
        a = int(p[0], 16)
        i = bisect.bisect_right(starts, a) - 1
        if i >= 0 and syms[i][0] <= a < syms[i][0] + syms[i][1] and syms[i][2] not in seen:
            seen.add(syms[i][2])
            have.append(syms[i][2])
    added[path] = len(have) - len(listed(path))
    with open(path, 'w') as f:
        f.write(f"# {binary.rsplit('/', 1)[1]}'s hot functions, in link order: written by "
                "scripts/hot-symbols.sh (lld's\n# --symbol-ordering-file). Names that no longer "
                "exist are ignored.\n")
        f.write('\n'.join(have) + '\n')
print(' '.join(f'{p}: +{n}' for p, n in added.items()))
print(sum(added.values()))
PY
}

for l in "${lists[@]}"; do : > "$l"; done
relink
bash scripts/make-busybox-rootfs.sh "$tmp/busybox.tar"
"${B[@]}" import "$tmp/busybox.tar" busybox >/dev/null
perf record -q -F 40000 -e cpu-clock:u -o "$tmp/perf.data" -- \
  bash -c "$(declare -p B); $(declare -f workload); workload 30"
perf script -i "$tmp/perf.data" -F ip,dso 2>/dev/null > "$tmp/samples"
add_functions "$tmp/samples" | head -n 1
for round in 1 2 3 4 5 6; do
  relink
  perf record -q -e page-faults -c 1 -d -o "$tmp/faults.data" -- \
    bash -c "$(declare -p B); $(declare -f workload); workload 3"
  perf script -i "$tmp/faults.data" -F addr,ip,dso 2>/dev/null |
    awk '{print $1, $NF}' > "$tmp/faults"  # the faulting address, the dso of the ip
  out=$(add_functions "$tmp/faults")
  echo "round $round: $(echo "$out" | head -n 1)"
  [ "$(echo "$out" | tail -n 1)" = 0 ] && break
done
relink
for l in "${lists[@]}"; do echo "$l: $(grep -vc '^#' "$l") functions"; done
